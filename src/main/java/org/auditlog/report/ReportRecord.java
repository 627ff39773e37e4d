package org.auditlog.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/** A report as its status shows it. */
@JsonPropertyOrder({"id", "status", "title", "from", "to", "filters", "asOfSeq", "pageCount", "sha256", "createdBy",
        "createdAt", "completedAt", "error"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReportRecord(
        UUID id,
        @JsonIgnore String tenant,
        String title,
        @JsonIgnore @ColumnName("period_from") Instant fromInstant,
        @JsonIgnore @ColumnName("period_to") Instant toInstant,
        @JsonRawValue String filters,
        @ColumnName("as_of_seq") long asOfSeq,
        String status,
        @ColumnName("page_count") Integer pageCount,
        String sha256,
        @ColumnName("created_by") String createdBy,
        @JsonIgnore @ColumnName("created_at") Instant createdAtInstant,
        @JsonIgnore @ColumnName("completed_at") Instant completedAtInstant,
        @JsonIgnore @ColumnName("file_path") String filePath,
        @JsonIgnore String manifest,
        String error) {

    @JsonProperty("from")
    public String from() {
        return Timestamps.format(fromInstant);
    }

    @JsonProperty("to")
    public String to() {
        return Timestamps.format(toInstant);
    }

    @JsonProperty("createdAt")
    public String createdAt() {
        return Timestamps.format(createdAtInstant);
    }

    /** The name its PDF is downloaded or mailed under. */
    @JsonIgnore
    public String fileName() {
        return "audit-report-" + tenant + "-" + id + ".pdf";
    }

    @JsonProperty("completedAt")
    public String completedAt() {
        return completedAtInstant == null ? null : Timestamps.format(completedAtInstant);
    }
}
