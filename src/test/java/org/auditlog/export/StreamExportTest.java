package org.auditlog.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamExportTest {
    private static final TestApp APP = TestApp.get();
    private static String tenant;
    private static String key;

    @BeforeAll
    static void events() {
        tenant = TestApp.newTenant("stream-export");
        key = APP.createKey(tenant, "ingest", "auditor");
        APP.post("/api/v1/events/batch", key, Map.of("events", List.of(
                Map.of("action", "doc.export", "actor", Map.of("id", "=HYPERLINK(\"http://x\")", "name", "Ann, \"the\" auditor"),
                        "reason", "line one\r\nline two", "resource", Map.of("type", "doc", "id", "+1"),
                        "source", Map.of("ip", "10.1.2.3", "userAgent", "@ua"), "metadata", Map.of("k", "-v", "n", 1.5),
                        "changes", Map.of("before", Map.of("a", 1), "after", Map.of("a", 2))),
                Map.of("action", "doc.view", "actor", Map.of("id", "bob"), "requestId", "\ttabbed"),
                Map.of("action", "doc.view", "actor", Map.of("id", "carl"), "occurredAt", "2026-01-01T00:00:00Z"))));
    }

    @Test
    void csvFollowsRfc4180WithTheContractsColumnsAndGuardsFormulas() {
        var reply = APP.get("/api/v1/exports/stream?format=csv&action=doc.*", key);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("text/csv");
        assertThat(reply.header("Content-Disposition")).matches("attachment; filename=\"audit-" + tenant + "-.*\\.csv\"");
        String body = reply.body();
        assertThat(body).startsWith("id,seq,occurredAt,receivedAt,tenant,category,action,outcome,actorType,actorId,"
                + "actorName,resourceType,resourceId,resourceName,sourceIp,userAgent,requestId,reason,metadata,changes,"
                + "prevHash,hash\r\n");
        List<List<String>> rows = Rfc4180.parse(body);
        assertThat(rows).hasSize(4);
        List<String> first = rows.get(1);
        assertThat(first).hasSize(22);
        assertThat(first.get(6)).isEqualTo("doc.export");
        assertThat(first.get(9)).isEqualTo("'=HYPERLINK(\"http://x\")");
        assertThat(first.get(10)).isEqualTo("Ann, \"the\" auditor");
        assertThat(first.get(12)).isEqualTo("'+1");
        assertThat(first.get(15)).isEqualTo("'@ua");
        assertThat(first.get(17)).isEqualTo("line one\r\nline two");
        assertThat(TestApp.JSON.valueToTree(Map.of("k", "-v", "n", 1.5)).equals(json(first.get(18)))).isTrue();
        assertThat(json(first.get(19)).get("after").get("a").asInt()).isEqualTo(2);
        assertThat(rows.get(2).get(16)).isEqualTo("'\ttabbed");
        assertThat(rows.get(1).get(21)).matches("[0-9a-f]{64}");
    }

    @Test
    void csvCellsFormattedByTheDatabaseEqualTheApisValues() {
        List<List<String>> rows = Rfc4180.parse(APP.get("/api/v1/exports/stream?format=csv&action=doc.*", key).body());
        JsonNode events = json(APP.get("/api/v1/events?action=doc.*&order=asc", key).body()).get("events");
        assertThat(events).hasSize(rows.size() - 1);
        for (JsonNode event : events) {
            List<String> row = rows.stream().filter(r -> r.get(0).equals(event.get("id").asText())).findFirst().orElseThrow();
            assertThat(row.subList(0, 5)).containsExactly(event.get("id").asText(), event.get("seq").asText(),
                    event.get("occurredAt").asText(), event.get("receivedAt").asText(), tenant);
            assertThat(row.subList(20, 22)).containsExactly(event.get("prevHash").asText(), event.get("hash").asText());
        }
    }

    @Test
    void anExportMatchingNothingIsTheHeaderAlone() {
        var reply = APP.get("/api/v1/exports/stream?format=csv&action=nothing.matches", key);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(Rfc4180.parse(reply.body())).hasSize(1);
        assertThat(reply.body()).startsWith("id,seq,occurredAt,");
    }

    @Test
    void exportsAreAscendingBySeqWhateverTheTimestamps() {
        List<List<String>> rows = Rfc4180.parse(APP.get("/api/v1/exports/stream?format=csv&action=doc.*", key).body());
        assertThat(rows.subList(1, rows.size())).extracting(r -> Long.parseLong(r.get(1))).isSorted();
        assertThat(rows.get(3).get(2)).isEqualTo("2026-01-01T00:00:00.000Z");
    }

    @Test
    void ndjsonLinesAreTheEventsAsTheApiShowsThem() throws Exception {
        var reply = APP.get("/api/v1/exports/stream?format=ndjson&action=doc.*", key);
        assertThat(reply.header("Content-Type")).startsWith("application/x-ndjson");
        assertThat(reply.header("Content-Disposition")).endsWith(".ndjson\"");
        List<String> lines = reply.body().lines().toList();
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            JsonNode exported = TestApp.JSON.readTree(line);
            JsonNode api = APP.get("/api/v1/events/" + exported.get("id").asText(), key).json();
            assertThat(exported).isEqualTo(api);
        }
    }

    @Test
    void theChainVerifiesFromAnNdjsonExportAlone() throws Exception {
        byte[] previous = new byte[32];
        for (String line : APP.get("/api/v1/exports/stream?format=ndjson", key).body().lines().toList()) {
            ObjectNode event = (ObjectNode) TestApp.JSON.readTree(line);
            assertThat(event.remove("prevHash").asText()).isEqualTo(HexFormat.of().formatHex(previous));
            String hash = event.remove("hash").asText();
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previous);
            sha256.update(new JsonCanonicalizer(event.toString()).getEncodedUTF8());
            previous = sha256.digest();
            assertThat(HexFormat.of().formatHex(previous)).isEqualTo(hash);
        }
    }

    @Test
    void jsonIsOneArrayOfEvents() {
        var reply = APP.get("/api/v1/exports/stream?format=json&action=doc.view", key);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        JsonNode array = reply.json();
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(2);
        assertThat(APP.get("/api/v1/exports/stream?format=json&actorId=nobody", key).json()).isEmpty();
    }

    @Test
    void badFormatOrFilterAnswers400AndIngestKeysMayNotExport() {
        var format = APP.get("/api/v1/exports/stream?format=xlsx", key);
        assertThat(format.status()).isEqualTo(400);
        assertThat(format.json().get("details").get(0).get("field").asText()).isEqualTo("format");
        assertThat(APP.get("/api/v1/exports/stream?format=csv&from=never", key).status()).isEqualTo(400);
        assertThat(APP.get("/api/v1/exports/stream?format=csv", APP.createKey(tenant, "ingest")).status()).isEqualTo(403);
    }

    @Test
    void aStreamedExportIsRecordedBeforeItStartsAndWhenItCompletes() {
        assertThat(APP.get("/api/v1/exports/stream?format=csv&actorId=bob", key).status()).isEqualTo(200);
        var started = TestApp.rows("select resource_id, category from audit_events where tenant = ? "
                + "and action = 'export.streamed' and metadata->>'actorId' = 'bob' and metadata->>'format' = 'csv'", tenant);
        assertThat(started).as("recorded before the answer").hasSize(1);
        assertThat(started.get(0).get("category")).isEqualTo("audit_access");
        Object stream = started.get(0).get("resource_id");
        TestApp.eventually("the completion is recorded", () -> !TestApp.rows("select 1 from audit_events where tenant = ? "
                + "and action = 'export.completed' and resource_type = 'export_stream' and resource_id = ? "
                + "and category = 'audit_access' and (metadata->>'rowCount')::int = 1 "
                + "and length(metadata->>'sha256') = 64", tenant, stream).isEmpty());
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'export.aborted'", tenant))
                .isEmpty();
    }

    private static JsonNode json(String text) {
        try {
            return TestApp.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(text, e);
        }
    }
}
