package org.auditlog.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch as Datadog's logs intake takes it: log entries in JSON arrays of at most {@value #MAX_ENTRIES}
 * entries and {@value #MAX_PAYLOAD_BYTES} bytes, each entry at most {@value #MAX_ENTRY_BYTES} bytes (a
 * longer message is cut, and the entry says so, rather than left for Datadog to cut unmarked).
 */
final class DatadogPayloads {
    static final int MAX_ENTRIES = 1_000;
    static final int MAX_PAYLOAD_BYTES = 5_000_000;
    static final int MAX_ENTRY_BYTES = 1_000_000;
    static final String SOURCE = "audit-service";

    private DatadogPayloads() {
    }

    /**
     * One event's log entry: {@code ddsource}, {@code service}, {@code ddtags} ({@code tenant:<t>,format:<f>})
     * and the formatted line as {@code message}; over {@value #MAX_ENTRY_BYTES} bytes, the message is cut
     * and {@code audit_truncated: true} and {@code audit_message_bytes} (its whole length) are added.
     */
    static byte[] entry(ObjectMapper mapper, String tenant, StreamFormat format, String line) {
        ObjectNode entry = mapper.createObjectNode();
        entry.put("ddsource", SOURCE);
        entry.put("service", SOURCE);
        entry.put("ddtags", "tenant:" + tenant + ",format:" + format.wireName());
        entry.put("message", line);
        byte[] bytes = write(mapper, entry);
        if (bytes.length <= MAX_ENTRY_BYTES) {
            return bytes;
        }
        entry.put("audit_truncated", true);
        entry.put("audit_message_bytes", line.getBytes(StandardCharsets.UTF_8).length);
        String message = line;
        while (bytes.length > MAX_ENTRY_BYTES) {
            int keep = (int) (message.length() * 0.99 * MAX_ENTRY_BYTES / bytes.length);
            if (keep > 0 && Character.isHighSurrogate(message.charAt(keep - 1))) {
                keep--;
            }
            message = message.substring(0, keep);
            entry.put("message", message);
            bytes = write(mapper, entry);
        }
        return bytes;
    }

    /** The entries, in order, as JSON arrays within the intake's limits: one POST each. */
    static List<byte[]> payloads(List<byte[]> entries) {
        List<byte[]> payloads = new ArrayList<>();
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        int count = 0;
        for (byte[] entry : entries) {
            if (count > 0 && (count == MAX_ENTRIES || part.size() + 1 + entry.length + 1 > MAX_PAYLOAD_BYTES)) {
                part.write(']');
                payloads.add(part.toByteArray());
                part.reset();
                count = 0;
            }
            part.write(count == 0 ? '[' : ',');
            part.writeBytes(entry);
            count++;
        }
        if (count > 0) {
            part.write(']');
            payloads.add(part.toByteArray());
        }
        return payloads;
    }

    private static byte[] write(ObjectMapper mapper, ObjectNode entry) {
        try {
            return mapper.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
