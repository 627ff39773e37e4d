package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * A tenant's next group is chained onto the head in memory and written while the group before it
 * is still being written ({@code ingest.tenantWritesInFlight}, 2 by default); commits stay in chain
 * order, and a head that moved or a write that failed sends the lane back to the locked path.
 */
class TenantWritesInFlightTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void theNextGroupIsWrittenWhileTheOneBeforeIsStillBeingWritten() throws Exception {
        String tenant = TestApp.newTenant("in-flight");
        String key = APP.createKey(tenant, "ingest");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection holder = ConcurrentChainTest.holdHead(tenant)) {
            Future<TestApp.Reply> first = pool.submit(() -> APP.post("/api/v1/events", key, event("first", "k-first")));
            awaitWrites(1);
            Future<TestApp.Reply> second = pool.submit(() -> APP.post("/api/v1/events", key, event("second", "k-second")));
            // the second group was chained onto the first's head in memory and its rows are copied
            // while the first waits for the head row: two writes of one tenant at once
            awaitWrites(2);
            assertThat(first.isDone() || second.isDone()).as("nothing answered before its commit").isFalse();

            holder.rollback();
            assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
            assertThat(second.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
            assertThat(first.get().json().get("seq").asLong()).isEqualTo(2);
            assertThat(second.get().json().get("seq").asLong()).isEqualTo(3);
        } finally {
            pool.shutdownNow();
        }
        assertThat(ConcurrentChainTest.assertLinked(tenant)).isEqualTo(3);
    }

    @Test
    void aHeadMovedByAnotherProcessIsReadAgainAndItsEventsAreNotRepeated() {
        String tenant = TestApp.newTenant("moved");
        String key = APP.createKey(tenant, "ingest");
        assertThat(APP.post("/api/v1/events", key, event("before", "k-before")).status()).isEqualTo(201);

        // another process appends behind the lane's back, one of its events with a key the next request repeats
        var elsewhere = TestApp.draft("elsewhere.one", "general", 0);
        var keyed = new org.auditlog.event.EventDraft("elsewhere.keyed", elsewhere.actor(), elsewhere.occurredAt(),
                elsewhere.receivedAt(), "general", elsewhere.outcome(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.of("k-elsewhere"));
        APP.append(tenant, List.of(elsewhere, keyed));

        var batch = APP.post("/api/v1/events/batch", key, Map.of("events", List.of(
                event("after", "k-after"), event("repeat", "k-elsewhere"))));
        assertThat(batch.status()).as(batch.body()).isEqualTo(201);
        var results = batch.json().get("events");
        assertThat(results.get(0).get("seq").asLong()).isEqualTo(5);
        assertThat(results.get(1).get("seq").asLong()).as("the repeat is the event stored elsewhere").isEqualTo(4);
        assertThat(APP.post("/api/v1/events", key, event("later", "k-later")).json().get("seq").asLong()).isEqualTo(6);
        assertThat(ConcurrentChainTest.assertLinked(tenant)).isEqualTo(6);
    }

    @Test
    void aGroupChainedOntoOneThatFailsAtCommitIsCommittedAgainAfterIt() throws Exception {
        String tenant = TestApp.newTenant("failing");
        String key = APP.createKey(tenant, "ingest");
        TestApp.tamper("create function refuse_at_commit() returns trigger language plpgsql as $$ begin "
                        + "raise exception 'refused at commit'; end $$",
                "create constraint trigger refuse_at_commit after insert on audit_events "
                        + "deferrable initially deferred for each row when (new.action = 'refused.at.commit') "
                        + "execute function refuse_at_commit()");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection holder = ConcurrentChainTest.holdHead(tenant)) {
            Future<TestApp.Reply> failing = pool.submit(() -> APP.post("/api/v1/events", key,
                    Map.of("action", "refused.at.commit", "actor", Map.of("id", "a"), "idempotencyKey", "k-refused")));
            awaitWrites(1);
            Future<TestApp.Reply> after = pool.submit(() -> APP.post("/api/v1/events", key, event("after", "k-after")));
            awaitWrites(2);

            // the first commits its head move, then fails at commit; the second, chained onto the
            // head the first would have left, finds the head elsewhere and is committed again
            holder.rollback();
            assertThat(failing.get(30, TimeUnit.SECONDS).status()).isEqualTo(500);
            TestApp.Reply second = after.get(30, TimeUnit.SECONDS);
            assertThat(second.status()).as(second.body()).isEqualTo(201);
            assertThat(second.json().get("seq").asLong()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
            TestApp.tamper("drop trigger refuse_at_commit on audit_events", "drop function refuse_at_commit()");
        }
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'refused.at.commit'", tenant))
                .isEmpty();
        assertThat(APP.post("/api/v1/events", key, event("then", "k-then")).json().get("seq").asLong()).isEqualTo(3);
        assertThat(ConcurrentChainTest.assertLinked(tenant)).isEqualTo(3);
    }

    private static Map<String, Object> event(String action, String idempotencyKey) {
        return Map.of("action", "flight." + action, "actor", Map.of("id", "a"), "idempotencyKey", idempotencyKey);
    }

    /** Waits until as many transactions are writing to the events table, copied or copying. */
    private static void awaitWrites(int writes) {
        TestApp.eventually(writes + " writes of events at once", () -> ((Number) TestApp.rows(
                "select count(distinct l.pid) as n from pg_locks l join pg_class c on c.oid = l.relation "
                        + "where c.relname = 'audit_events' and l.mode = 'RowExclusiveLock' and l.granted").get(0).get("n"))
                .intValue() == writes);
    }
}
