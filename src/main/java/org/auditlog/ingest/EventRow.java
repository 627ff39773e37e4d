package org.auditlog.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.event.AuditEvent;

/**
 * An event as a line of {@code COPY audit_events (COLUMNS) FROM STDIN (FORMAT csv)}: first the four
 * columns its place in the chain gives it, then {@code draftColumns}, the rest, written as CSV when
 * the request was prepared, on its own thread, so that the chain's writer only joins them.
 */
public record EventRow(long seq, UUID id, byte[] prevHash, byte[] hash, String draftColumns) {

    /** The columns {@link #appendCsv} writes, in its order. */
    static final String COLUMNS = "seq, id, prev_hash, hash, tenant, occurred_at, received_at, category, action, outcome, "
            + "actor_id, actor_type, actor_name, actor_email, resource_type, resource_id, resource_name, source_ip, "
            + "user_agent, request_id, reason, changes, metadata, idempotency_key";

    /**
     * The columns of an event from {@code tenant} on, which do not depend on its place in the chain, as
     * CSV: every value quoted (quotes doubled), so any text stays itself, and null left empty and
     * unquoted, which is how that format writes NULL.
     */
    static String draftColumns(AuditEvent event) {
        var resource = Optional.ofNullable(event.resource());
        var source = Optional.ofNullable(event.source());
        StringBuilder out = new StringBuilder(512);
        quoted(out, event.tenant()).append(',').append(event.occurredAtInstant()).append(',')
                .append(event.receivedAtInstant());
        for (String value : new String[] {event.category(), event.action(), event.outcome(), event.actor().id(),
                event.actor().type(), event.actor().name(), event.actor().email(),
                resource.map(r -> r.type()).orElse(null), resource.map(r -> r.id()).orElse(null),
                resource.map(r -> r.name()).orElse(null), source.map(s -> s.ip()).orElse(null),
                source.map(s -> s.userAgent()).orElse(null), event.requestId(), event.reason(),
                text(event.changes()), text(event.metadata()), event.idempotencyKey()}) {
            quoted(out.append(','), value);
        }
        return out.toString();
    }

    void appendCsv(StringBuilder out) {
        HexFormat hex = HexFormat.of();
        out.append(seq).append(',').append(id).append(",\\x").append(hex.formatHex(prevHash)).append(",\\x")
                .append(hex.formatHex(hash)).append(',').append(draftColumns).append('\n');
    }

    private static StringBuilder quoted(StringBuilder out, String value) {
        if (value == null) {
            return out;
        }
        out.append('"');
        int plain = 0;
        for (int quote = value.indexOf('"'); quote >= 0; quote = value.indexOf('"', quote + 1)) {
            out.append(value, plain, quote + 1).append('"');
            plain = quote + 1;
        }
        return out.append(value, plain, value.length()).append('"');
    }

    private static String text(ObjectNode node) {
        return node == null ? null : node.toString();
    }
}
