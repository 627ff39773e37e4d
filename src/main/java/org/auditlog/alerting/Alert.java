package org.auditlog.alerting;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/** One crossing of a rule's threshold by one group, from firing to resolved. */
@JsonPropertyOrder({"id", "ruleId", "ruleName", "groupBy", "group", "severity", "state", "value", "matched", "total",
        "firedAt", "resolvedAt"})
public record Alert(
        UUID id,
        @JsonIgnore String tenant,
        @ColumnName("rule_id") UUID ruleId,
        @ColumnName("rule_name") String ruleName,
        @ColumnName("group_by") String groupBy,
        @JsonProperty("group") @ColumnName("group_key") String groupKey,
        String severity,
        String state,
        double value,
        long matched,
        long total,
        @JsonIgnore @ColumnName("fired_at") Instant firedAtInstant,
        @JsonIgnore @ColumnName("resolved_at") Instant resolvedAtInstant) {

    @JsonProperty("firedAt")
    public String firedAt() {
        return Timestamps.format(firedAtInstant);
    }

    @JsonProperty("resolvedAt")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String resolvedAt() {
        return resolvedAtInstant == null ? null : Timestamps.format(resolvedAtInstant);
    }
}
