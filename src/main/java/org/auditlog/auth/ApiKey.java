package org.auditlog.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.auditlog.common.Timestamps;

/** A key as listed: never its secret, only the first characters that help a person tell keys apart. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiKey(
        UUID id,
        String tenant,
        String name,
        List<String> roles,
        String hint,
        @JsonIgnore Instant createdAtInstant,
        String createdBy,
        @JsonIgnore Instant revokedAtInstant) {
    public ApiKey {
        requireNonNull(id, "id is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(name, "name is null");
        roles = List.copyOf(roles);
        requireNonNull(hint, "hint is null");
        requireNonNull(createdAtInstant, "createdAt is null");
        requireNonNull(createdBy, "createdBy is null");
    }

    @JsonProperty("createdAt")
    public String createdAt() {
        return Timestamps.format(createdAtInstant);
    }

    @JsonProperty("revokedAt")
    public String revokedAt() {
        return revokedAtInstant == null ? null : Timestamps.format(revokedAtInstant);
    }
}
