package org.auditlog.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HexFormat;
import org.auditlog.common.Timestamps;

/**
 * A stored event. {@link EventField} states its schema and {@link EventJson} writes its JSON, which
 * without {@code prevHash} and {@code hash} is exactly what the chain hashes (see docs/integrity.md).
 */
@JsonSerialize(using = EventJson.Serializer.class)
public record AuditEvent(
        String id,
        String tenant,
        long seq,
        Instant occurredAtInstant,
        Instant receivedAtInstant,
        String category,
        String action,
        Outcome outcomeValue,
        Actor actor,
        Resource resource,
        Source source,
        String requestId,
        String reason,
        ObjectNode changes,
        ObjectNode metadata,
        String idempotencyKey,
        byte[] prevHashBytes,
        byte[] hashBytes) {
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

    public String occurredAt() {
        return Timestamps.format(occurredAtInstant);
    }

    public String receivedAt() {
        return Timestamps.format(receivedAtInstant);
    }

    public String outcome() {
        return outcomeValue.wireName();
    }

    public String prevHash() {
        return HexFormat.of().formatHex(prevHashBytes);
    }

    public String hash() {
        return hashBytes == null ? null : HexFormat.of().formatHex(hashBytes);
    }
}
