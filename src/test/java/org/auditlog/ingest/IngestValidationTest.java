package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input of every kind answers a 4xx naming the field, and stores nothing. */
class IngestValidationTest {
    private static final TestApp APP = TestApp.get();
    private static String tenant;
    private static String key;

    @BeforeAll
    static void keys() {
        tenant = TestApp.newTenant("validation");
        key = APP.createKey(tenant, "ingest");
    }

    static Stream<Arguments> badEvents() {
        String inAnHour = Instant.now().plus(1, ChronoUnit.HOURS).toString();
        String bigMetadata = "{\"blob\": \"" + "x".repeat(17 * 1024) + "\"}";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"action\": ", 400, null),
                Arguments.of("not an object", "[1, 2]", 422, ""),
                Arguments.of("empty body", "", 400, null),
                Arguments.of("missing action", "{\"actor\": {\"id\": \"a\"}}", 422, "action"),
                Arguments.of("action with capitals and a space", "{\"action\": \"User Login\", \"actor\": {\"id\": \"a\"}}", 422, "action"),
                Arguments.of("action too long", "{\"action\": \"" + "a".repeat(129) + "\", \"actor\": {\"id\": \"a\"}}", 422, "action"),
                Arguments.of("action of the wrong type", "{\"action\": 42, \"actor\": {\"id\": \"a\"}}", 422, "action"),
                Arguments.of("actor not an object", "{\"action\": \"a.b\", \"actor\": \"a\"}", 422, "actor"),
                Arguments.of("missing actor id", "{\"action\": \"a.b\", \"actor\": {}}", 422, "actor.id"),
                Arguments.of("actor id too long", "{\"action\": \"a.b\", \"actor\": {\"id\": \"" + "i".repeat(257) + "\"}}", 422, "actor.id"),
                Arguments.of("invalid IPv4", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"source\": {\"ip\": \"999.1.1.1\"}}", 422, "source.ip"),
                Arguments.of("host name as IP", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"source\": {\"ip\": \"example.com\"}}", 422, "source.ip"),
                Arguments.of("timestamp an hour ahead", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"occurredAt\": \"" + inAnHour + "\"}", 422, "occurredAt"),
                Arguments.of("timestamp without offset", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"occurredAt\": \"2026-01-01T00:00:00\"}", 422, "occurredAt"),
                Arguments.of("17 KiB of metadata", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"metadata\": " + bigMetadata + "}", 422, "metadata"),
                Arguments.of("metadata not an object", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"metadata\": [1]}", 422, "metadata"),
                Arguments.of("unknown field", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"colour\": \"red\"}", 422, "colour"),
                Arguments.of("unknown nested field", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\", \"age\": 3}}", 422, "actor.age"),
                Arguments.of("bad outcome", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"outcome\": \"maybe\"}", 422, "outcome"),
                Arguments.of("bad category", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"category\": \"Auth\"}", 422, "category"),
                Arguments.of("resource without type", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"resource\": {\"id\": \"r\"}}", 422, "resource.type"),
                Arguments.of("unknown changes member", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"changes\": {\"during\": {}}}", 422, "changes.during"),
                Arguments.of("NUL character", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\\u0000\"}}", 422, "actor.id"),
                Arguments.of("NUL in metadata", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"metadata\": {\"k\": \"\\u0000\"}}", 422, "metadata.k"),
                Arguments.of("number out of range", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"metadata\": {\"k\": 1e400}}", 422, "metadata.k"),
                Arguments.of("duplicate member", "{\"action\": \"a.b\", \"action\": \"c.d\", \"actor\": {\"id\": \"a\"}}", 400, null),
                Arguments.of("idempotency key too long", "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"idempotencyKey\": \"" + "k".repeat(129) + "\"}", 422, "idempotencyKey"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEvents")
    void refusesBadEventAndStoresNothing(String label, String body, int status, String field) {
        long before = TestApp.count(tenant);
        var reply = APP.post("/api/v1/events", key, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertErrorBody(reply, status);
        if (field != null) {
            assertThat(fields(reply)).contains(field);
        }
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void listsEveryProblemInOne422() {
        var reply = APP.post("/api/v1/events", key,
                "{\"action\": \"BAD ACTION\", \"actor\": {}, \"outcome\": \"maybe\", \"colour\": 1, \"source\": {\"ip\": \"1.2.3\"}}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(fields(reply)).containsExactlyInAnyOrder("action", "actor.id", "outcome", "colour", "source.ip");
    }

    @Test
    void refusesEmptyBatch() {
        var reply = APP.post("/api/v1/events/batch", key, "{\"events\": []}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(fields(reply)).containsExactly("events");
    }

    @Test
    void refusesBatchOf1001() {
        long before = TestApp.count(tenant);
        var reply = APP.post("/api/v1/events/batch", key, batch(1001, -1));
        assertThat(reply.status()).isEqualTo(422);
        assertThat(fields(reply)).containsExactly("events");
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void refusesWholeBatchWithOneBadEventInTheMiddleNamingItsIndex() {
        long before = TestApp.count(tenant);
        var reply = APP.post("/api/v1/events/batch", key, batch(7, 3));
        assertThat(reply.status()).isEqualTo(422);
        assertThat(fields(reply)).containsExactly("events[3].action");
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void refusesBatchWithoutEventsArray() {
        var reply = APP.post("/api/v1/events/batch", key, "{\"items\": []}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(fields(reply)).containsExactlyInAnyOrder("items", "events");
    }

    @Test
    void refusesSingleBodyOver1MiBWith413() {
        long before = TestApp.count(tenant);
        byte[] body = ("{\"action\": \"a.b\", \"actor\": {\"id\": \"" + "x".repeat(1100 * 1024) + "\"}}")
                .getBytes(StandardCharsets.UTF_8);
        var reply = APP.post("/api/v1/events", key, body);
        assertThat(reply.status()).isEqualTo(413);
        assertErrorBody(reply, 413);
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void refusesBatchBodyOver10MiBWith413() {
        StringBuilder body = new StringBuilder("{\"events\": [");
        String reason = "r".repeat(1000);
        for (int i = 0; i < 1000; i++) {
            body.append(i == 0 ? "" : ",").append("{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"metadata\": {");
            for (int j = 0; j < 11; j++) {
                body.append(j == 0 ? "" : ",").append("\"k").append(j).append("\": \"").append(reason).append("\"");
            }
            body.append("}}");
        }
        body.append("]}");
        var reply = APP.post("/api/v1/events/batch", key, body.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(reply.status()).isEqualTo(413);
    }

    @Test
    void refusesInvalidUtf8EvenWhereTheJsonParserWouldDecodeIt() {
        long before = TestApp.count(tenant);
        // 0xC0 0xAF is an overlong "/": not UTF-8, though lenient decoders read it
        byte[] prefix = "{\"action\": \"a.b\", \"actor\": {\"id\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] body = java.util.Arrays.copyOf(prefix, prefix.length + 5);
        body[prefix.length] = (byte) 0xC0;
        body[prefix.length + 1] = (byte) 0xAF;
        System.arraycopy("\"}}".getBytes(StandardCharsets.UTF_8), 0, body, prefix.length + 2, 3);
        var reply = APP.post("/api/v1/events", key, body);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).contains("UTF-8");
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void errorsJettyAnswersItselfUseTheErrorShape() {
        var reply = APP.get("/api/v1/events?actorId=" + "x".repeat(20_000), key);
        assertThat(reply.status()).isEqualTo(414);
        assertThat(reply.json().get("code").asInt()).isEqualTo(414);
    }

    @Test
    void refusesNonJsonContentType() {
        var reply = APP.send(APP.request("/api/v1/events", key)
                .header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}}")));
        assertThat(reply.status()).isEqualTo(415);
        assertErrorBody(reply, 415);
    }

    private static String batch(int size, int badIndex) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            events.add("{\"action\": \"" + (i == badIndex ? "Bad Action" : "batch.ok") + "\", \"actor\": {\"id\": \"a\"}}");
        }
        return "{\"events\": [" + String.join(",", events) + "]}";
    }

    private static List<String> fields(TestApp.Reply reply) {
        List<String> fields = new ArrayList<>();
        JsonNode details = reply.json().get("details");
        if (details != null) {
            details.forEach(d -> fields.add(d.get("field").asText()));
        }
        return fields;
    }

    static void assertErrorBody(TestApp.Reply reply, int status) {
        JsonNode json = reply.json();
        assertThat(json.get("code").asInt()).isEqualTo(status);
        assertThat(json.get("message").asText()).isNotBlank();
        assertThat(reply.body()).doesNotContain("Exception", "\tat ", "org.", "com.fasterxml", "SQL");
    }
}
