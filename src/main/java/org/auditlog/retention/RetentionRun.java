package org.auditlog.retention;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/**
 * One retention run of one tenant: {@code eligible} events were past their policy, {@code held} of
 * them matched an active hold and were kept, {@code deleted} were deleted (none in a dry run).
 * {@code partition} names the time partition a run dropped whole, and is absent from a batched run.
 */
@JsonPropertyOrder({"runId", "dryRun", "trigger", "partition", "eligible", "deleted", "held", "startedAt", "finishedAt", "error"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetentionRun(
        @JsonProperty("runId") UUID id,
        @JsonIgnore String tenant,
        @ColumnName("dry_run") boolean dryRun,
        String trigger,
        String partition,
        long eligible,
        long deleted,
        long held,
        @JsonIgnore @ColumnName("started_at") Instant startedAtInstant,
        @JsonIgnore @ColumnName("finished_at") Instant finishedAtInstant,
        String error) {

    @JsonProperty("startedAt")
    public String startedAt() {
        return Timestamps.format(startedAtInstant);
    }

    @JsonProperty("finishedAt")
    public String finishedAt() {
        return finishedAtInstant == null ? null : Timestamps.format(finishedAtInstant);
    }
}
