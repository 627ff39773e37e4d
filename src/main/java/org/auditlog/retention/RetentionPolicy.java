package org.auditlog.retention;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/** How long a tenant keeps the events of a category; {@code *} for every category without its own. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetentionPolicy(
        String category,
        @ColumnName("retain_days") int retainDays,
        @JsonIgnore @ColumnName("updated_at") Instant updatedAtInstant,
        @ColumnName("updated_by") String updatedBy) {

    public static final String DEFAULT_CATEGORY = "*";

    @JsonProperty("updatedAt")
    public String updatedAt() {
        return updatedAtInstant == null ? null : Timestamps.format(updatedAtInstant);
    }

    /** Where the policy comes from: the tenant's own setting, or the service's configuration. */
    @JsonProperty("source")
    public String source() {
        return updatedBy == null ? "configuration" : "tenant";
    }
}
