package org.auditlog.ingest;

import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventField;

/**
 * An event as a line of {@code COPY audit_events (COLUMNS) FROM STDIN (FORMAT csv)}: first the four
 * columns its place in the chain gives it, then {@code draftColumns}, the rest, written as CSV when
 * the request was prepared, on its own thread, so that the chain's writer only joins them.
 */
public record EventRow(long seq, UUID id, byte[] prevHash, byte[] hash, String draftColumns) {

    /** The fields whose values the chain's writer gives, first in each line, in this order. */
    private static final List<EventField> CHAIN_FIELDS = List.of(EventField.SEQ, EventField.ID, EventField.PREV_HASH,
            EventField.HASH);
    /** The rest, written when the request is prepared, in {@link EventField}'s order. */
    private static final List<EventField> DRAFT_FIELDS = EventField.ALL.stream()
            .filter(f -> !CHAIN_FIELDS.contains(f)).toList();

    /** The columns {@link #appendCsv} writes, in its order. */
    static final String COLUMNS = Stream.concat(CHAIN_FIELDS.stream(), DRAFT_FIELDS.stream())
            .map(EventField::column).collect(Collectors.joining(", "));

    /**
     * The columns of an event that do not depend on its place in the chain, as CSV: every text quoted
     * (quotes doubled), so any text stays itself; times in ISO-8601, which PostgreSQL reads; null left
     * empty and unquoted, which is how that format writes NULL.
     */
    static String draftColumns(AuditEvent event) {
        StringBuilder out = new StringBuilder(512);
        boolean first = true;
        for (EventField field : DRAFT_FIELDS) {
            if (!first) {
                out.append(',');
            }
            first = false;
            Object value = field.of(event);
            if (value instanceof Instant instant) {
                out.append(instant);
            } else if (value != null) {
                quoted(out, value.toString());
            }
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

}
