package org.auditlog.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HexFormat;
import org.auditlog.common.Timestamps;

/**
 * A stored event, as the API shows it. Its JSON form without {@code prevHash} and {@code hash} is
 * exactly what the chain hashes (see docs/integrity.md), so members are left out when absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"id", "tenant", "seq", "occurredAt", "receivedAt", "category", "action", "outcome", "actor",
        "resource", "source", "requestId", "reason", "changes", "metadata", "idempotencyKey", "prevHash", "hash"})
public record AuditEvent(
        String id,
        String tenant,
        long seq,
        @JsonIgnore Instant occurredAtInstant,
        @JsonIgnore Instant receivedAtInstant,
        String category,
        String action,
        @JsonIgnore Outcome outcomeValue,
        Actor actor,
        Resource resource,
        Source source,
        String requestId,
        String reason,
        ObjectNode changes,
        ObjectNode metadata,
        String idempotencyKey,
        @JsonIgnore byte[] prevHashBytes,
        @JsonIgnore byte[] hashBytes) {
    public AuditEvent {
        requireNonNull(id, "id is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(occurredAtInstant, "occurredAt is null");
        requireNonNull(receivedAtInstant, "receivedAt is null");
        requireNonNull(category, "category is null");
        requireNonNull(action, "action is null");
        requireNonNull(outcomeValue, "outcome is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(prevHashBytes, "prevHash is null");
    }

    @JsonProperty("occurredAt")
    public String occurredAt() {
        return Timestamps.format(occurredAtInstant);
    }

    @JsonProperty("receivedAt")
    public String receivedAt() {
        return Timestamps.format(receivedAtInstant);
    }

    @JsonProperty("outcome")
    public String outcome() {
        return outcomeValue.wireName();
    }

    @JsonProperty("prevHash")
    public String prevHash() {
        return HexFormat.of().formatHex(prevHashBytes);
    }

    @JsonProperty("hash")
    public String hash() {
        return hashBytes == null ? null : HexFormat.of().formatHex(hashBytes);
    }
}
