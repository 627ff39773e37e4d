package org.auditlog.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HexFormat;
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

    /** The columns {@link #appendCsv} writes, in its order. */
    static final String COLUMNS = "tenant, seq, id, occurred_at, received_at, category, action, outcome, actor_id, "
            + "actor_type, actor_name, actor_email, resource_type, resource_id, resource_name, source_ip, user_agent, "
            + "request_id, reason, changes, metadata, idempotency_key, prev_hash, hash";

    /**
     * The row as a line of {@code COPY ... (FORMAT csv)}: every value quoted (quotes doubled), so any
     * text stays itself, and null left empty and unquoted, which is how that format writes NULL.
     */
    void appendCsv(StringBuilder out) {
        HexFormat hex = HexFormat.of();
        quoted(out, tenant).append(',').append(seq).append(',').append(id).append(',')
                .append(occurredAt).append(',').append(receivedAt).append(',');
        for (String value : new String[] {category, action, outcome, actorId, actorType, actorName, actorEmail,
                resourceType, resourceId, resourceName, sourceIp, userAgent, requestId, reason, changes, metadata,
                idempotencyKey}) {
            quoted(out, value).append(',');
        }
        out.append("\\x").append(hex.formatHex(prevHash)).append(",\\x").append(hex.formatHex(hash)).append('\n');
    }

    private static StringBuilder quoted(StringBuilder out, String value) {
        if (value == null) {
            return out;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c);
            if (c == '"') {
                out.append('"');
            }
        }
        return out.append('"');
    }

    private static String text(ObjectNode node) {
        return node == null ? null : node.toString();
    }
}
