package org.auditlog.stream;

import java.time.Instant;
import org.auditlog.event.AuditEvent;
import org.auditlog.stream.StreamMapping.FieldRow;
import org.auditlog.stream.StreamMapping.OcsfClass;
import org.auditlog.stream.StreamMapping.Profile;

/**
 * An event as one line of CEF (ArcSight Common Event Format, version 0), by the tables of
 * {@link StreamMapping}: {@code CEF:0|vendor|product|version|action|class: activity|severity|extension}.
 */
final class CefWriter {
    private CefWriter() {
    }

    static String write(AuditEvent event, StreamProduct product) {
        Profile profile = StreamMapping.profile(event.category(), event.action());
        OcsfClass type = profile.ocsfClass();
        StringBuilder line = new StringBuilder("CEF:0");
        for (String field : new String[] {product.vendorName(), product.name(), product.version(), event.action(),
                type.caption + ": " + profile.activity(event.action()).name(),
                Integer.toString(StreamMapping.OUTCOMES.get(event.outcomeValue()).cefSeverity())}) {
            line.append('|').append(header(field));
        }
        line.append('|');
        String separator = "";
        for (FieldRow row : StreamMapping.FIELDS) {
            Object value = row.field().of(event);
            if (row.cef() == null || value == null) {
                continue;
            }
            String text = value instanceof Instant instant ? Long.toString(instant.toEpochMilli()) : value.toString();
            String key = row.cef();
            String label = row.cefLabel();
            if (key.equals("src") && text.indexOf(':') >= 0) {
                key = StreamMapping.CEF_SOURCE_IPV6;
                label = StreamMapping.CEF_SOURCE_IPV6_LABEL;
            }
            line.append(separator).append(key).append('=').append(extension(text));
            separator = " ";
            if (label != null) {
                line.append(' ').append(key).append("Label=").append(extension(label));
            }
        }
        return line.toString();
    }

    /** A header field: {@code \} and {@code |} escaped; a line break, which a header cannot hold, as a space. */
    static String header(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '|' -> out.append("\\|");
                case '\r', '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** An extension value: {@code \} and {@code =} escaped, line breaks as {@code \n} and {@code \r}. */
    static String extension(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '=' -> out.append("\\=");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
