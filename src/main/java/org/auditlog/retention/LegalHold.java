package org.auditlog.retention;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/** Events matching an active hold's filters are never deleted; a released hold stays on record. */
@JsonPropertyOrder({"id", "name", "reason", "filters", "active", "createdAt", "createdBy", "releasedAt", "releasedBy"})
public record LegalHold(
        UUID id,
        @JsonIgnore String tenant,
        String name,
        String reason,
        @JsonRawValue String filters,
        @JsonIgnore @ColumnName("created_at") Instant createdAtInstant,
        @ColumnName("created_by") String createdBy,
        @JsonIgnore @ColumnName("released_at") Instant releasedAtInstant,
        @ColumnName("released_by") String releasedBy) {

    @JsonProperty("createdAt")
    public String createdAt() {
        return Timestamps.format(createdAtInstant);
    }

    @JsonProperty("releasedAt")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String releasedAt() {
        return releasedAtInstant == null ? null : Timestamps.format(releasedAtInstant);
    }

    @JsonProperty("active")
    public boolean active() {
        return releasedAtInstant == null;
    }
}
