package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

class ConcurrentChainTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void manyWritersToOneTenantLeaveNoGapNoRepeatAndNoBrokenLink() throws Exception {
        String tenant = TestApp.newTenant("concurrent");
        String key = APP.createKey(tenant, "ingest");
        int writers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> acknowledged = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            acknowledged.add(pool.submit(() -> {
                int ok = 0;
                for (int i = 0; i < 30; i++) {
                    if (i % 6 == 0) {
                        var events = new ArrayList<Map<String, Object>>();
                        for (int j = 0; j < 20; j++) {
                            events.add(Map.of("action", "conc.batch", "actor", Map.of("id", "w" + writer)));
                        }
                        var reply = APP.post("/api/v1/events/batch", key, Map.of("events", events));
                        ok += reply.status() == 201 ? 20 : 0;
                    } else {
                        var reply = APP.post("/api/v1/events", key,
                                Map.of("action", "conc.single", "actor", Map.of("id", "w" + writer)));
                        ok += reply.status() == 201 ? 1 : 0;
                    }
                }
                return ok;
            }));
        }
        int total = 0;
        for (Future<Integer> f : acknowledged) {
            total += f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        // one creation event for the key, then every acknowledged event
        var rows = TestApp.rows("select seq, prev_hash, hash from audit_events where tenant = ? order by seq", tenant);
        assertThat(total).isEqualTo(writers * (5 * 20 + 25));
        assertThat(rows).hasSize(total + 1);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(((Number) rows.get(i).get("seq")).longValue()).isEqualTo(i + 1L);
            byte[] expectedPrev = i == 0 ? new byte[32] : (byte[]) rows.get(i - 1).get("hash");
            assertThat(Arrays.equals((byte[]) rows.get(i).get("prev_hash"), expectedPrev))
                    .as("link at seq %d", i + 1).isTrue();
        }
        var head = TestApp.rows("select last_seq, last_hash from chain_heads where tenant = ?", tenant).get(0);
        assertThat(((Number) head.get("last_seq")).longValue()).isEqualTo(rows.size());
        assertThat((byte[]) head.get("last_hash")).isEqualTo(rows.get(rows.size() - 1).get("hash"));
    }

    @Test
    void aTenantWhoseChainIsBusyDoesNotHoldUpAnother() throws Exception {
        String busy = TestApp.newTenant("busy");
        String free = TestApp.newTenant("free");
        String busyKey = APP.createKey(busy, "ingest");
        String freeKey = APP.createKey(free, "ingest");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection holder = TestDatabase.get().connect()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement(
                    "select last_seq from chain_heads where tenant = ? for update")) {
                lock.setString(1, busy);
                lock.executeQuery().close();
            }
            Future<TestApp.Reply> waiting = pool.submit(() -> APP.post("/api/v1/events", busyKey,
                    Map.of("action", "held.up", "actor", Map.of("id", "a"))));
            Thread.sleep(300);
            assertThat(waiting.isDone()).as("the busy tenant's append waits for its chain").isFalse();

            long started = System.nanoTime();
            var reply = APP.post("/api/v1/events", freeKey, Map.of("action", "goes.through", "actor", Map.of("id", "b")));
            assertThat(reply.status()).isEqualTo(201);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5000);

            holder.rollback();
            assertThat(waiting.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
        } finally {
            pool.shutdownNow();
        }
    }
}
