package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys live in a table of their own, one row per tenant and key, filled by the database
 * from every insert of an event: a repeat finds the event that took its key through it, and a key
 * whose event is gone (retention deleted it) is taken again by the next event that carries it, as
 * before the table, when the lookup found no event.
 */
class IdempotencyKeysTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void eachStoredKeyIsOneRowNamingItsEvent() {
        String tenant = TestApp.newTenant("keys");
        String key = APP.createKey(tenant, "ingest");
        var first = APP.post("/api/v1/events/batch", key, Map.of("events", List.of(
                Map.of("action", "a.b", "actor", Map.of("id", "x"), "idempotencyKey", "k-1"),
                Map.of("action", "a.b", "actor", Map.of("id", "x")),
                Map.of("action", "a.b", "actor", Map.of("id", "x"), "idempotencyKey", "k-2"))));
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        long seq1 = first.json().get("events").get(0).get("seq").asLong();
        long seq2 = first.json().get("events").get(2).get("seq").asLong();
        assertThat(one("select count(*) from idempotency_keys where tenant = '" + tenant + "'")).isEqualTo(2);
        assertThat(one("select seq from idempotency_keys where tenant = '" + tenant + "' and key = 'k-1'")).isEqualTo(seq1);
        assertThat(one("select seq from idempotency_keys where tenant = '" + tenant + "' and key = 'k-2'")).isEqualTo(seq2);
        assertThat(one("select count(*) from idempotency_keys k join audit_events e on e.tenant = k.tenant "
                + "and e.seq = k.seq and e.received_at = k.received_at and e.idempotency_key = k.key where k.tenant = '" + tenant + "'"))
                .as("each key names its event by seq and time of receipt").isEqualTo(2);
    }

    private static long one(String sql) {
        return TestDatabase.count(TestDatabase.get().url(), sql);
    }

    @Test
    void aKeyWhoseEventIsGoneIsTakenAgain() {
        String tenant = TestApp.newTenant("keys-gone");
        String key = APP.createKey(tenant, "ingest");
        // as retention leaves a key: its event deleted, the row kept
        TestApp.tamper("insert into idempotency_keys (tenant, key, seq, received_at) values ('" + tenant
                + "', 'gone', 999999, now() - interval '400 days')");

        var stored = APP.post("/api/v1/events", key, Map.of("action", "a.b", "actor", Map.of("id", "x"), "idempotencyKey", "gone"));
        assertThat(stored.status()).as(stored.toString()).isEqualTo(201);
        var again = APP.post("/api/v1/events", key, Map.of("action", "c.d", "actor", Map.of("id", "y"), "idempotencyKey", "gone"));
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(again.json().get("id")).isEqualTo(stored.json().get("id"));
        assertThat(one("select seq from idempotency_keys where tenant = '" + tenant + "' and key = 'gone'"))
                .isEqualTo(stored.json().get("seq").asLong());
    }
}
