package org.auditlog.export;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/** A background export as its status shows it. */
@JsonPropertyOrder({"id", "status", "format", "filters", "rowCount", "sha256", "createdBy", "createdAt",
        "completedAt", "expiresAt", "error"})
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ExportRecord(
        UUID id,
        @JsonIgnore String tenant,
        String format,
        @JsonRawValue String filters,
        String status,
        @ColumnName("row_count") Long rowCount,
        @JsonIgnore @ColumnName("first_seq") Long firstSeq,
        @JsonIgnore @ColumnName("last_seq") Long lastSeq,
        String sha256,
        @ColumnName("created_by") String createdBy,
        @JsonIgnore @ColumnName("created_at") Instant createdAtInstant,
        @JsonIgnore @ColumnName("completed_at") Instant completedAtInstant,
        @JsonIgnore @ColumnName("expires_at") Instant expiresAtInstant,
        @JsonIgnore @ColumnName("file_deleted_at") Instant fileDeletedAt,
        @JsonIgnore @ColumnName("file_path") String filePath,
        @JsonIgnore String manifest,
        String error) {

    @JsonProperty("createdAt")
    public String createdAt() {
        return Timestamps.format(createdAtInstant);
    }

    @JsonProperty("completedAt")
    public String completedAt() {
        return completedAtInstant == null ? null : Timestamps.format(completedAtInstant);
    }

    @JsonProperty("expiresAt")
    public String expiresAt() {
        return expiresAtInstant == null ? null : Timestamps.format(expiresAtInstant);
    }
}
