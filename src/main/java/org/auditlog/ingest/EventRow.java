package org.auditlog.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.event.AuditEvent;

/** An event flattened to the columns of {@code audit_events}, for batched inserts. */
public record EventRow(
        String tenant, long seq, UUID id, Instant occurredAt, Instant receivedAt, String category, String action,
        String outcome, String actorId, String actorType, String actorName, String actorEmail, String resourceType,
        String resourceId, String resourceName, String sourceIp, String userAgent, String requestId, String reason,
        String changes, String metadata, String idempotencyKey, byte[] prevHash, byte[] hash) {

    public static EventRow of(AuditEvent event) {
        var resource = Optional.ofNullable(event.resource());
        var source = Optional.ofNullable(event.source());
        return new EventRow(event.tenant(), event.seq(), UUID.fromString(event.id()), event.occurredAtInstant(),
                event.receivedAtInstant(), event.category(), event.action(), event.outcome(), event.actor().id(),
                event.actor().type(), event.actor().name(), event.actor().email(),
                resource.map(r -> r.type()).orElse(null), resource.map(r -> r.id()).orElse(null),
                resource.map(r -> r.name()).orElse(null), source.map(s -> s.ip()).orElse(null),
                source.map(s -> s.userAgent()).orElse(null), event.requestId(), event.reason(),
                text(event.changes()), text(event.metadata()), event.idempotencyKey(), event.prevHashBytes(),
                event.hashBytes());
    }

    private static String text(ObjectNode node) {
        return node == null ? null : node.toString();
    }
}
