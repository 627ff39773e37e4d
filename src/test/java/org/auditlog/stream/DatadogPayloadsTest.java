package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch split into Datadog intake payloads: at most 1,000 entries and 5 MB each, entries at most 1 MB. */
class DatadogPayloadsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> read(List<byte[]> payloads) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (byte[] payload : payloads) {
            assertThat(payload.length).isLessThanOrEqualTo(DatadogPayloads.MAX_PAYLOAD_BYTES);
            JsonNode array = JSON.readTree(payload);
            assertThat(array.size()).isBetween(1, DatadogPayloads.MAX_ENTRIES);
            array.forEach(entries::add);
        }
        return entries;
    }

    private static List<byte[]> entries(int count, int messageChars) {
        List<byte[]> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(DatadogPayloads.entry(JSON, "acme", StreamFormat.CEF, i + ":" + "x".repeat(messageChars)));
        }
        return entries;
    }

    private static List<Integer> sizes(List<byte[]> payloads) throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (byte[] payload : payloads) {
            sizes.add(JSON.readTree(payload).size());
        }
        return sizes;
    }

    @Test
    void aBatchIsSplitEveryThousandEntriesInOrder() throws Exception {
        List<byte[]> payloads = DatadogPayloads.payloads(entries(2_500, 10));
        assertThat(sizes(payloads)).containsExactly(1_000, 1_000, 500);
        List<JsonNode> entries = read(payloads);
        for (int i = 0; i < entries.size(); i++) {
            assertThat(entries.get(i).get("message").asText()).startsWith(i + ":");
        }
        JsonNode first = entries.get(0);
        assertThat(first.get("ddsource").asText()).isEqualTo("audit-service");
        assertThat(first.get("ddtags").asText()).isEqualTo("tenant:acme,format:cef");
        assertThat(first.has("audit_truncated")).isFalse();
    }

    @Test
    void aBatchIsSplitBeforeAPayloadWouldPassFiveMegabytes() throws Exception {
        List<byte[]> payloads = DatadogPayloads.payloads(entries(12, 900_000));
        assertThat(sizes(payloads)).containsExactly(5, 5, 2);
        assertThat(read(payloads)).hasSize(12);
        assertThat(DatadogPayloads.payloads(List.of())).isEmpty();
    }

    @Test
    void anEntryOverOneMegabyteIsCutAndMarkedAndStillFits() throws Exception {
        String message = "é".repeat(1_500_000); // two bytes each in UTF-8
        byte[] entry = DatadogPayloads.entry(JSON, "acme", StreamFormat.NATIVE, message);
        assertThat(entry.length).isLessThanOrEqualTo(DatadogPayloads.MAX_ENTRY_BYTES)
                .isGreaterThan(DatadogPayloads.MAX_ENTRY_BYTES * 9 / 10);
        JsonNode read = JSON.readTree(entry);
        assertThat(read.get("audit_truncated").asBoolean()).isTrue();
        assertThat(read.get("audit_message_bytes").asInt()).isEqualTo(message.getBytes(StandardCharsets.UTF_8).length);
        assertThat(message).startsWith(read.get("message").asText());
        List<byte[]> payloads = DatadogPayloads.payloads(List.of(entry, entry, entry, entry, entry, entry));
        assertThat(payloads).hasSize(2);
        assertThat(read(payloads)).hasSize(6);
    }
}
