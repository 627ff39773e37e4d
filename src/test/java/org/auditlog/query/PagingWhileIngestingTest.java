package org.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

class PagingWhileIngestingTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void walksEveryEventThatExistedExactlyOnceWhileNewOnesArrive() throws Exception {
        String tenant = TestApp.newTenant("paging-live");
        String key = APP.createKey(tenant, "ingest", "auditor");
        for (int batch = 0; batch < 5; batch++) {
            var events = new ArrayList<Map<String, Object>>();
            for (int i = 0; i < 500; i++) {
                int n = batch * 500 + i;
                // many share a timestamp, and some arrive later with older timestamps
                events.add(Map.of("action", "paged.event", "actor", Map.of("id", "a" + n),
                        "occurredAt", String.format("2026-03-01T00:%02d:00Z", n % 60)));
            }
            APP.post("/api/v1/events/batch", key, Map.of("events", events));
        }
        Set<String> existing = new HashSet<>();
        TestApp.rows("select id::text as id from audit_events where tenant = ? and action = 'paged.event'", tenant)
                .forEach(r -> existing.add((String) r.get("id")));
        assertThat(existing).hasSize(2500);

        AtomicBoolean walking = new AtomicBoolean(true);
        AtomicInteger added = new AtomicInteger();
        Thread writer = new Thread(() -> {
            int n = 0;
            while (walking.get()) {
                var reply = APP.post("/api/v1/events", key, Map.of("action", "paged.event", "actor", Map.of("id", "late" + n),
                        "occurredAt", String.format("2026-03-01T00:%02d:30Z", n++ % 60)));
                if (reply.status() == 201) {
                    added.incrementAndGet();
                }
            }
        });
        writer.start();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        try {
            do {
                var reply = APP.get("/api/v1/events?action=paged.event&limit=100"
                        + (cursor == null ? "" : "&cursor=" + cursor), key);
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                for (JsonNode event : reply.json().get("events")) {
                    seen.add(event.get("id").asText());
                }
                cursor = reply.json().get("nextCursor").isNull() ? null : reply.json().get("nextCursor").asText();
                Thread.sleep(5);
            } while (cursor != null);
        } finally {
            walking.set(false);
            writer.join();
        }
        assertThat(added.get()).as("events ingested during the walk").isPositive();
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(existing);
    }
}
