package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * Recomputes every stored hash from the database rows with its own reading of docs/integrity.md,
 * not with the service's hasher: the document alone must be enough to verify the chain.
 */
class ChainRecomputationTest {
    private static final TestApp APP = TestApp.get();
    private static final DateTimeFormatter MILLIS_UTC =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void everyStoredHashFollowsTheDocumentedCanonicalForm() throws Exception {
        String tenant = TestApp.newTenant("recompute");
        String key = APP.createKey(tenant, "ingest");
        List<String> bodies = List.of(
                "{\"action\": \"user.login\", \"actor\": {\"id\": \"alice\"}}",
                "{\"action\": \"doc.view\", \"actor\": {\"id\": \"b\", \"type\": \"service\", \"name\": \"Zoë ☃\", \"email\": \"b@x.io\"},"
                        + " \"occurredAt\": \"2026-03-01T12:00:00.123456+05:30\", \"category\": \"data_access\", \"outcome\": \"failure\","
                        + " \"resource\": {\"type\": \"doc\", \"id\": \"d\\\"1\", \"name\": \"tab\\there\"},"
                        + " \"source\": {\"ip\": \"::FFFF:10.0.0.1\", \"userAgent\": \"ua/1 \\ud83d\\ude00\"},"
                        + " \"requestId\": \"r-1\", \"reason\": \"line\\nbreak\", \"idempotencyKey\": \"k-1\","
                        + " \"changes\": {\"before\": {\"z\": 1, \"a\": [true, null]}, \"after\": {\"a\": 1.50}},"
                        + " \"metadata\": {\"n\": 1e2, \"neg\": -0, \"f\": 0.1, \"big\": 12345678901234567890, \"e\": \"€\", \"nested\": {\"b\": 2, \"a\": 1}, \"empty\": {}}}",
                "{\"action\": \"a.b\", \"actor\": {\"id\": \"c\"}, \"source\": {\"userAgent\": \"only-agent\"}, \"metadata\": {}}");
        for (String body : bodies) {
            assertThat(APP.post("/api/v1/events", key, body).status()).isEqualTo(201);
        }
        APP.post("/api/v1/events/batch", key, Map.of("events", List.of(
                Map.of("action", "x.y", "actor", Map.of("id", "d"), "metadata", Map.of("list", List.of(1, "two", 3.25))),
                Map.of("action", "x.z", "actor", Map.of("id", "e")))));

        var rows = TestApp.rows("select * from audit_events where tenant = ? order by seq", tenant);
        assertThat(rows).hasSizeGreaterThanOrEqualTo(6);
        byte[] previous = new byte[32];
        for (Map<String, Object> row : rows) {
            byte[] canonical = new JsonCanonicalizer(documentedObject(row).toString()).getEncodedUTF8();
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(previous);
            sha256.update(canonical);
            byte[] expected = sha256.digest();
            assertThat((byte[]) row.get("prev_hash")).as("prevHash of seq %s", row.get("seq")).isEqualTo(previous);
            assertThat((byte[]) row.get("hash")).as("hash of seq %s: %s", row.get("seq"),
                    new String(canonical, StandardCharsets.UTF_8)).isEqualTo(expected);
            previous = expected;
        }
    }

    /** The event object as docs/integrity.md lists its members; absent (null) members are left out. */
    private static ObjectNode documentedObject(Map<String, Object> row) throws Exception {
        var f = JsonNodeFactory.instance;
        ObjectNode event = f.objectNode();
        event.put("id", row.get("id").toString());
        event.put("tenant", (String) row.get("tenant"));
        event.put("seq", ((Number) row.get("seq")).longValue());
        event.put("occurredAt", MILLIS_UTC.format(((Timestamp) row.get("occurred_at")).toInstant()));
        event.put("receivedAt", MILLIS_UTC.format(((Timestamp) row.get("received_at")).toInstant()));
        event.put("category", (String) row.get("category"));
        event.put("action", (String) row.get("action"));
        event.put("outcome", (String) row.get("outcome"));
        ObjectNode actor = event.putObject("actor");
        putIfPresent(actor, "id", row.get("actor_id"));
        putIfPresent(actor, "type", row.get("actor_type"));
        putIfPresent(actor, "name", row.get("actor_name"));
        putIfPresent(actor, "email", row.get("actor_email"));
        if (row.get("resource_type") != null) {
            ObjectNode resource = event.putObject("resource");
            putIfPresent(resource, "type", row.get("resource_type"));
            putIfPresent(resource, "id", row.get("resource_id"));
            putIfPresent(resource, "name", row.get("resource_name"));
        }
        if (row.get("source_ip") != null || row.get("user_agent") != null) {
            ObjectNode source = event.putObject("source");
            putIfPresent(source, "ip", row.get("source_ip"));
            putIfPresent(source, "userAgent", row.get("user_agent"));
        }
        putIfPresent(event, "requestId", row.get("request_id"));
        putIfPresent(event, "reason", row.get("reason"));
        if (row.get("changes") != null) {
            event.set("changes", TestApp.JSON.readTree(row.get("changes").toString()));
        }
        if (row.get("metadata") != null) {
            event.set("metadata", TestApp.JSON.readTree(row.get("metadata").toString()));
        }
        putIfPresent(event, "idempotencyKey", row.get("idempotency_key"));
        return event;
    }

    private static void putIfPresent(ObjectNode node, String name, Object value) {
        if (value != null) {
            node.put(name, value.toString());
        }
    }
}
