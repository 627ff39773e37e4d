package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IngestTest {
    private static final TestApp APP = TestApp.get();
    private static String tenant;
    private static String key;

    @BeforeAll
    static void keys() {
        tenant = TestApp.newTenant("ingest");
        key = APP.createKey(tenant, "ingest", "auditor");
    }

    @Test
    void storesOneEventWithEveryFieldAndAnswers201() {
        var reply = APP.post("/api/v1/events", key, """
                {"action": "document.export", "actor": {"id": "u-7", "type": "service", "name": "Ann", "email": "ann@example.com"},
                 "occurredAt": "2026-01-02T03:04:05.678+02:00", "category": "data_access", "outcome": "denied",
                 "resource": {"type": "document", "id": "d-1", "name": "Q3 report"},
                 "source": {"ip": "2001:DB8:0:0::1", "userAgent": "curl/8"}, "requestId": "req-1", "reason": "policy",
                 "changes": {"before": {"a": 1}, "after": {"a": 2}}, "metadata": {"k": "v", "n": [1, 2.5, null]},
                 "idempotencyKey": "every-field"}
                """);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        JsonNode event = reply.json();
        assertThat(event.get("tenant").asText()).isEqualTo(tenant);
        assertThat(event.get("occurredAt").asText()).isEqualTo("2026-01-02T01:04:05.678Z");
        assertThat(event.get("receivedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(event.get("actor").get("email").asText()).isEqualTo("ann@example.com");
        assertThat(event.get("source").get("ip").asText()).isEqualTo("2001:db8::1");
        assertThat(event.get("changes").get("after").get("a").asInt()).isEqualTo(2);
        assertThat(event.get("hash").asText()).matches("[0-9a-f]{64}");
        assertThat(event.get("prevHash").asText()).matches("[0-9a-f]{64}");
        assertThat(event.has("duplicate")).isFalse();

        var stored = APP.get("/api/v1/events/" + event.get("id").asText(), key);
        assertThat(stored.status()).isEqualTo(200);
        assertThat(stored.json()).isEqualTo(event);
    }

    @Test
    void defaultsCategoryOutcomeActorTypeAndOccurredAt() {
        Instant before = Instant.now().minusMillis(5);
        JsonNode event = APP.post("/api/v1/events", key, Map.of("action", "user.login", "actor", Map.of("id", "bob")))
                .json();
        assertThat(event.get("category").asText()).isEqualTo("general");
        assertThat(event.get("outcome").asText()).isEqualTo("success");
        assertThat(event.get("actor").get("type").asText()).isEqualTo("user");
        assertThat(event.get("occurredAt")).isEqualTo(event.get("receivedAt"));
        assertThat(Instant.parse(event.get("receivedAt").asText())).isAfter(before);
    }

    @Test
    void idempotentRepeatAnswers200WithTheFirstEventAndStoresNothing() {
        var body = Map.of("action", "user.logout", "actor", Map.of("id", "carol"), "idempotencyKey", "repeat-1");
        var first = APP.post("/api/v1/events", key, body);
        long count = TestApp.count(tenant);
        var again = APP.post("/api/v1/events", key,
                Map.of("action", "user.other", "actor", Map.of("id", "dave"), "idempotencyKey", "repeat-1"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
        assertThat(again.json().get("action").asText()).isEqualTo("user.logout");
        assertThat(TestApp.count(tenant)).isEqualTo(count);
    }

    @Test
    void sameIdempotencyKeyInAnotherTenantIsAnotherEvent() {
        String otherTenant = TestApp.newTenant("ingest-other");
        String otherKey = APP.createKey(otherTenant, "ingest");
        var body = Map.of("action", "user.login", "actor", Map.of("id", "x"), "idempotencyKey", "shared-key");
        var mine = APP.post("/api/v1/events", key, body);
        var theirs = APP.post("/api/v1/events", otherKey, body);
        assertThat(mine.status()).isEqualTo(201);
        assertThat(theirs.status()).isEqualTo(201);
        assertThat(theirs.json().get("id")).isNotEqualTo(mine.json().get("id"));
    }

    @Test
    void batchStoresAllInInputOrderInOneTransaction() {
        APP.post("/api/v1/events", key, Map.of("action", "batch.before", "actor", Map.of("id", "a"),
                "idempotencyKey", "stored-before-batch"));
        var reply = APP.post("/api/v1/events/batch", key, Map.of("events", List.of(
                Map.of("action", "batch.one", "actor", Map.of("id", "a")),
                Map.of("action", "batch.two", "actor", Map.of("id", "b"), "idempotencyKey", "in-batch"),
                Map.of("action", "batch.three", "actor", Map.of("id", "c"), "idempotencyKey", "in-batch"),
                Map.of("action", "batch.four", "actor", Map.of("id", "d"), "idempotencyKey", "stored-before-batch"),
                Map.of("action", "batch.five", "actor", Map.of("id", "e")))));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        JsonNode events = reply.json().get("events");
        assertThat(events).hasSize(5);
        long firstSeq = events.get(0).get("seq").asLong();
        assertThat(events.get(1).get("seq").asLong()).isEqualTo(firstSeq + 1);
        assertThat(events.get(2).get("duplicate").asBoolean()).isTrue();
        assertThat(events.get(2).get("id")).isEqualTo(events.get(1).get("id"));
        assertThat(events.get(3).get("duplicate").asBoolean()).isTrue();
        assertThat(events.get(4).get("seq").asLong()).isEqualTo(firstSeq + 2);
        assertThat(events.get(4).get("duplicate").asBoolean()).isFalse();
        for (JsonNode entry : events) {
            assertThat(entry.fieldNames()).toIterable()
                    .containsExactlyInAnyOrder("id", "seq", "hash", "idempotencyKey", "duplicate");
        }
        var transactions = TestApp.rows("select count(distinct xmin::text) as n from audit_events "
                + "where tenant = ? and action like 'batch.%' and action <> 'batch.before'", tenant);
        assertThat(((Number) transactions.get(0).get("n")).intValue()).isEqualTo(1);
    }

    @Test
    void thousandEventBatchIsAccepted() {
        var events = new java.util.ArrayList<Map<String, Object>>();
        for (int i = 0; i < 1000; i++) {
            events.add(Map.of("action", "bulk.item", "actor", Map.of("id", "bulk-" + i), "metadata", Map.of("i", i)));
        }
        var reply = APP.post("/api/v1/events/batch", key, Map.of("events", events));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        JsonNode answered = reply.json().get("events");
        assertThat(answered).hasSize(1000);
        assertThat(answered.get(999).get("seq").asLong() - answered.get(0).get("seq").asLong()).isEqualTo(999);
    }

    /**
     * The rows reach PostgreSQL as {@code COPY} text in chunks of about 64 KiB: a thousand events
     * with every character CSV and JSON treat specially, and of growing length so that rows fall
     * across chunk ends, must be stored as sent and hash as the chain says.
     */
    @Test
    void aThousandEventsOfAwkwardTextAreStoredAsSentAndTheChainVerifies() {
        String tenant = TestApp.newTenant("awkward");
        String key = APP.createKey(tenant, "ingest", "auditor");
        var events = new java.util.ArrayList<Map<String, Object>>();
        List<String> notes = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String note = "q\" c, n\n r\r t\t b\\ \u00e9\u4e2d\ud83d\ude00 " + "x".repeat(i % 300) + i;
            notes.add(note);
            events.add(Map.of("action", "awkward.item", "actor", Map.of("id", "a,\"" + i), "reason", note,
                    "metadata", Map.of("note", note)));
        }
        var reply = APP.post("/api/v1/events/batch", key, Map.of("events", events));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);

        var stored = TestApp.rows("select actor_id, reason, metadata ->> 'note' as note from audit_events "
                + "where tenant = ? and action = 'awkward.item' order by seq", tenant);
        assertThat(stored).hasSize(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(stored.get(i)).containsEntry("actor_id", "a,\"" + i).containsEntry("reason", notes.get(i))
                    .containsEntry("note", notes.get(i));
        }
        JsonNode verified = APP.get("/api/v1/integrity/verify", key).json();
        assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
    }
}
