package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.auditlog.event.EventColumns;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.junit.jupiter.api.Test;

/**
 * The idempotency lookup probes the (tenant, idempotency_key) index once per key even when the
 * statistics are older than the tenant: a tenant that held one event at the last ANALYZE and has
 * grown since must not have its whole range read for every key. The plan checked is the one a
 * statement gets on its first executions on a connection, planned with the values bound.
 */
class IdempotencyLookupPlanTest {
    @Test
    void aTenantGrownSinceTheLastAnalyzeIsProbedByKey() throws Exception {
        Jdbi jdbi = TestDatabase.get().migratedScratch("lookup");
        String sql = EventAppendDao.class.getMethod("findByIdempotencyKeys", String.class, String[].class)
                .getAnnotation(SqlQuery.class).value();
        String[] keys = IntStream.range(0, 100).mapToObj(i -> "absent-" + i).toArray(String[]::new);

        String plan = jdbi.withHandle(handle -> {
            handle.execute("select audit_events_partition_for(now(), 'month')");
            handle.execute(fill("other", 0, 200_000));
            handle.execute(fill("grown", 0, 1));
            handle.execute("analyze audit_events");
            handle.execute(fill("grown", 1, 50_000));
            return handle.createQuery("explain (analyze, costs off, timing off) " + sql)
                    .define("eventColumns", EventColumns.STORED).bind("tenant", "grown").bind("keys", keys)
                    .mapTo(String.class).stream().collect(Collectors.joining("\n"));
        });

        assertThat(plan).as(plan).containsPattern("Index Scan using audit_events_\\w*idempotency").doesNotContain("Rows Removed by Filter");
    }

    private static String fill(String tenant, int from, int events) {
        return "insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome, "
                + "actor_id, actor_type, prev_hash, hash, idempotency_key) "
                + "select '" + tenant + "', " + from + " + i, gen_random_uuid(), now(), now(), 'c' || (i % 5), 'a.b', "
                + "'success', 'u' || (i % 100), 'user', decode(md5(i::text) || md5(i::text), 'hex'), "
                + "decode(md5(i::text) || md5(i::text), 'hex'), '" + tenant + "-' || (" + from + " + i) "
                + "from generate_series(1, " + events + ") i";
    }
}
