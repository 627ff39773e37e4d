package org.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * No event happened more than 24 hours after the service received it: the database refuses one, so
 * not even a writer behind the service's back stores one. Reads from a time, which therefore read only
 * the partitions received from 24 hours before it, still find every event that happened since, up to
 * that bound. The events here are written behind the service's back, received in February and
 * happened in March, so they sit in another partition than the time they happened at.
 */
class ReceiptTimeBoundTest {
    private static final TestApp APP = TestApp.get();
    private static final String JUNE = "2026-06-01T00:00:00Z";

    @Test
    void theDatabaseRefusesAnEventThatHappenedMoreThan24HoursAfterItWasReceived() {
        String tenant = TestApp.newTenant("ahead");
        assertThatThrownBy(() -> TestApp.tamper("select audit_events_partition_for('2026-02-28T05:59:59Z', 'month')",
                insert(tenant, 1, "2026-03-01T06:00:00Z", "2026-02-28T05:59:59Z")))
                .hasMessageContaining("audit_events_occurred_not_ahead");
        TestApp.tamper(insert(tenant, 1, "2026-03-01T06:00:00Z", "2026-02-28T06:00:00Z"));
    }

    @Test
    void aReadFromATimeFindsWhatHappenedSinceUpTo24HoursAfterItWasReceived() {
        String tenant = TestApp.newTenant("bound");
        TestApp.tamper("select audit_events_partition_for('2026-02-28T06:00:00Z', 'month')",
                "select audit_events_partition_for('2026-03-01T06:00:00Z', 'month')",
                insert(tenant, 1, "2026-03-01T06:00:00Z", "2026-02-28T06:00:00Z"),
                insert(tenant, 2, "2026-03-01T07:00:00Z", "2026-03-01T07:00:00Z"),
                insert(tenant, 3, "2026-02-28T07:00:00Z", "2026-03-01T08:00:00Z"),
                "insert into chain_heads (tenant, last_seq, last_hash) values ('" + tenant + "', 3, decode(repeat('00', 32), 'hex'))");
        // after the events: the key's creation is recorded in the tenant's log, as are reads (now, outside these windows)
        String key = APP.createKey(tenant, "auditor");

        assertThat(seqs(key, "from=2026-03-01T06:00:00Z&to=" + JUNE)).containsExactly(2L, 1L);
        assertThat(seqs(key, "from=2026-03-01T06:00:00Z&order=asc&to=" + JUNE)).containsExactly(1L, 2L);
        assertThat(seqs(key, "from=2026-02-28T07:00:00Z&to=2026-03-01T06:30:00Z")).containsExactly(1L, 3L);
        assertThat(seqs(key, "from=0001-01-01T00:00:00Z&to=" + JUNE)).containsExactly(2L, 1L, 3L);
        // a walk in ascending order bounds each page by its cursor's time: page by page, nothing missed
        List<Long> walked = new ArrayList<>();
        String path = "/api/v1/events?order=asc&limit=1&from=2026-02-28T07:00:00Z&to=" + JUNE;
        for (String cursor = null; walked.isEmpty() || cursor != null; ) {
            JsonNode page = APP.get(path + (cursor == null ? "" : "&cursor=" + cursor), key).json();
            page.get("events").forEach(e -> walked.add(e.get("seq").asLong()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        }
        assertThat(walked).containsExactly(3L, 1L, 2L);
        var stats = APP.get("/api/v1/events/stats?groupBy=day&from=2026-03-01T06:00:00Z&to=" + JUNE, key);
        assertThat(stats.status()).as(stats.toString()).isEqualTo(200);
        assertThat(stats.json().get("total").asLong()).as(stats.toString()).isEqualTo(2);
    }

    private static List<Long> seqs(String key, String query) {
        var reply = APP.get("/api/v1/events?" + query, key);
        assertThat(reply.status()).as(query + " -> " + reply).isEqualTo(200);
        List<Long> seqs = new ArrayList<>();
        reply.json().get("events").forEach(e -> seqs.add(e.get("seq").asLong()));
        return seqs;
    }

    private static String insert(String tenant, long seq, String occurredAt, String receivedAt) {
        return "insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome, actor_id, "
                + "actor_type, prev_hash, hash) values ('" + tenant + "', " + seq + ", gen_random_uuid(), '" + occurredAt + "', '"
                + receivedAt + "', 'auth', 'user.login', 'success', 'alice', 'user', decode(repeat('00', 32), 'hex'), "
                + "decode(repeat('00', 32), 'hex'))";
    }
}
