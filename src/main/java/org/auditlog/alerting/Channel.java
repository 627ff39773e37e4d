package org.auditlog.alerting;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.auditlog.common.Timestamps;

/** Where alerts go. The webhook secret is kept to sign deliveries and never shown back. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "type", "url", "to", "hasSecret", "createdAt", "createdBy"})
public record Channel(
        UUID id,
        @JsonIgnore String tenant,
        String type,
        String url,
        List<String> to,
        @JsonIgnore Instant createdAtInstant,
        String createdBy,
        @JsonIgnore String secret) {

    @JsonProperty("createdAt")
    public String createdAt() {
        return Timestamps.format(createdAtInstant);
    }

    @JsonProperty("hasSecret")
    public Boolean hasSecret() {
        return type.equals("webhook") ? secret != null && !secret.isEmpty() : null;
    }

    @Override
    public String toString() {
        return "Channel[" + id + ", " + type + "]";
    }
}
