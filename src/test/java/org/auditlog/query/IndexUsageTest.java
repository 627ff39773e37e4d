package org.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventWhere;
import org.auditlog.filter.FilterParser;
import org.auditlog.support.TestDatabase;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Over a million events, the SQL the service itself sends for each kind of query is served by an
 * index: EXPLAIN never shows a sequential scan of the events table. The plans are written to
 * target/explain-plans.txt.
 */
class IndexUsageTest {
    private static final String PURPOSE = "explain";
    /** A sequential scan of a partition; but for the history partition, which a new installation has empty. */
    private static final String SEQ_SCAN = "Seq Scan on audit_events(?!_history )";
    private static final String TENANT = "t0";
    private static Jdbi jdbi;
    private static final AtomicReference<String> lastSql = new AtomicReference<>();
    private static final Map<String, String> plans = new LinkedHashMap<>();

    @BeforeAll
    static void millionEvents() throws Exception {
        jdbi = TestDatabase.get().migratedScratch(PURPOSE);
        jdbi.useHandle(handle -> {
            // the indexes are built after the load, as a bulk load would: maintaining them row by row
            // took most of this test's time
            List<String> indexes = handle.createQuery("select indexdef from pg_indexes where tablename = 'audit_events' "
                    + "and indexname <> 'audit_events_pk'").mapTo(String.class).list();
            assertThat(indexes).as("the events table's indexes").hasSizeGreaterThanOrEqualTo(6);
            for (String index : indexes) {
                handle.execute("drop index " + index.replaceFirst("^CREATE (UNIQUE )?INDEX (\\S+) ON .*$", "$2"));
            }
            handle.execute("select count(audit_events_partition_for(t, 'month')) from generate_series("
                    + "timestamptz '2026-01-01', timestamptz '2026-01-01' + 1000000 * interval '31 seconds', interval '1 day') t");
            handle.execute("set session_replication_role = replica");
            // 1,000,000 events over 10 tenants (half of them in t0), a year of time, 5,000 actors,
            // 100 actions, 20 resource types; hashes are filler, the chain is not what is measured
            handle.execute("""
                    insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome,
                        actor_id, actor_type, resource_type, resource_id, source_ip, request_id, metadata, prev_hash, hash)
                    select case when i % 2 = 0 then 't0' else 't' || (1 + i % 9) end,
                           i, gen_random_uuid(),
                           timestamptz '2026-01-01' + (i * interval '31 seconds'),
                           timestamptz '2026-01-01' + (i * interval '31 seconds'),
                           (array['auth', 'admin', 'data_access', 'system'])[1 + i % 4],
                           'svc' || (i % 10) || '.op' || (i / 10 % 10),
                           (array['success', 'success', 'success', 'failure', 'denied'])[1 + i % 5],
                           'actor-' || (i % 5000), 'user',
                           'type' || (i % 20), 'res-' || (i % 10000),
                           '10.' || (i % 250) || '.' || (i / 250 % 250) || '.1',
                           'req-' || i,
                           jsonb_build_object('team', 'team' || (i % 50), 'ref', i),
                           decode(md5(i::text) || md5((i + 1)::text), 'hex'),
                           decode(md5((i + 2)::text) || md5((i + 3)::text), 'hex')
                    from generate_series(1, 1000000) as i""");
            handle.execute("insert into chain_heads (tenant, last_seq, last_hash) "
                    + "select tenant, max(seq), decode(repeat('00', 32), 'hex') from audit_events group by tenant");
            handle.execute("set maintenance_work_mem = '256MB'");
            // pg_indexes shows a partitioned table's index as "ON ONLY", which would build none on its partitions
            indexes.forEach(index -> handle.execute(index.replace(" ON ONLY ", " ON ")));
            handle.execute("analyze audit_events");
        });
        jdbi.getConfig(SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logBeforeExecution(StatementContext context) {
                lastSql.set(context.getRenderedSql());
            }
        });
    }

    @AfterAll
    static void writePlansAndDrop() throws Exception {
        StringBuilder out = new StringBuilder("EXPLAIN of the service's own SQL over 1,000,000 events\n\n");
        plans.forEach((name, plan) -> out.append("== ").append(name).append("\n").append(plan).append("\n"));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/explain-plans.txt"), out.toString());
        TestDatabase.get().dropScratch(PURPOSE);
    }

    private static QueryService service() {
        return new QueryService(jdbi, new CursorCodec(new byte[32]), new AuditTrail((tenant, drafts) -> List.of()), false);
    }

    private static final Caller CALLER = new Caller(UUID.randomUUID(), TENANT, "explain", Set.of(Role.AUDITOR));

    /** Runs the query through the service, then EXPLAINs the very SQL it sent with the same values; answers the plan. */
    private static String assertIndexed(String name, String query) {
        Map<String, List<String>> parameters = new HashMap<>();
        for (String pair : query.split("&")) {
            String[] kv = pair.split("=", 2);
            parameters.put(kv[0], List.of(kv[1]));
        }
        Page page = service().search(CALLER.requester(), SearchRequest.parse(parameters));
        String sql = lastSql.get();
        EventFilter filter = FilterParser.parse(parameters, Set.of("limit", "order", "cursor"));
        EventWhere where = EventWhere.of(TENANT, filter).atMostSeq(Long.MAX_VALUE);
        if (parameters.containsKey("cursor")) {
            where = where.after(parameters.containsKey("order") && parameters.get("order").equals(List.of("asc")),
                    Instant.parse("2026-06-01T00:00:00Z"), 500_000L);
        }
        Map<String, Object> values = new HashMap<>(where.parameters());
        values.put("limit", 101);
        if (sql.contains(":window")) {
            values.put("window", MetadataWindows.first(101));
        }
        String plan = jdbi.withHandle(h -> String.join("\n", h.createQuery("explain " + sql).bindMap(values)
                .mapTo(String.class).list()));
        plans.put(name + " (" + page.events().size() + " rows)", plan);
        assertThat(plan).as(name + ":\n" + plan).doesNotContainPattern(SEQ_SCAN);
        return plan;
    }

    @Test
    void newestPageOfATenant() {
        assertIndexed("newest page of a tenant", "limit=100");
    }

    @Test
    void nextPageByCursor() {
        Page first = service().search(CALLER.requester(), SearchRequest.parse(Map.of("limit", List.of("100"))));
        assertIndexed("next page by cursor", "limit=100&cursor=" + first.nextCursor());
    }

    @Test
    void tenantAndTimeRange() {
        assertIndexed("tenant and a week", "from=2026-03-01T00:00:00Z&to=2026-03-08T00:00:00Z&order=asc");
    }

    /**
     * Events are partitioned by the time they were received, which is at most 24 hours before they
     * happened: a read from a time reads no partition of what was received before (here, January to
     * October of the events' year), whatever its upper bound.
     */
    @Test
    void aRecentWeekReadsOnlyThePartitionsReceivedSince() {
        String plan = assertIndexed("tenant and a recent week", "from=2026-11-20T00:00:00Z&to=2026-11-27T00:00:00Z");
        assertThat(plan).contains("audit_events_p20261101").doesNotContainPattern("audit_events_p20260[1-9]|audit_events_p20261001")
                .doesNotContain("audit_events_history");
    }

    @Test
    void anActorOver30Days() {
        assertIndexed("an actor over 30 days", "actorId=actor-42&from=2026-02-01T00:00:00Z&to=2026-03-03T00:00:00Z");
    }

    @Test
    void anActionPrefixOverADay() {
        assertIndexed("an action prefix over a day", "action=svc2.*&from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z");
    }

    @Test
    void anExactAction() {
        assertIndexed("an exact action", "action=svc4.op4");
    }

    @Test
    void aResource() {
        assertIndexed("a resource", "resourceType=type4&resourceId=res-44");
    }

    @Test
    void aMetadataMatch() {
        assertIndexed("a metadata match", "meta.ref=123456");
    }

    /**
     * A tenant that took 60,000 events since the last ANALYZE (under autovacuum's threshold): the
     * idempotency lookup of every commit still probes the index once per key instead of reading all
     * of the tenant's keys, which the statistics make look like a row or two. The tenant is an
     * InitPlan value ($0) the plan cannot see; IdempotencyLookupPlanTest has the case where a
     * visible tenant chose another index.
     */
    @Test
    void idempotencyLookupOfATenantGrownSinceAnalyzeProbesEachKey() {
        jdbi.useHandle(handle -> {
            handle.execute("set session_replication_role = replica");
            handle.execute("""
                    insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome,
                        actor_id, actor_type, idempotency_key, prev_hash, hash)
                    select 'grown', i, gen_random_uuid(), now(), now(), 'system', 'job.run', 'success', 'svc', 'service',
                           'key-' || i, decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex')
                    from generate_series(1, 60000) as i""");
        });
        var found = jdbi.withExtension(org.auditlog.ingest.EventAppendDao.class,
                dao -> dao.findByIdempotencyKeys("grown", new String[] {"key-41", "key-none", "key-59999"}));
        assertThat(found).extracting(e -> e.idempotencyKey()).containsExactlyInAnyOrder("key-41", "key-59999");
        String sql = lastSql.get();
        String plan = jdbi.withHandle(h -> String.join("\n", h.createQuery("explain (analyze, costs off) " + sql)
                .bind("tenant", "grown").bind("keys", new String[] {"key-41", "key-none", "key-59999"})
                .mapTo(String.class).list()));
        plans.put("idempotency lookup, a tenant grown since ANALYZE", plan);
        assertThat(plan).as(plan).containsPattern("Index Scan using audit_events_\\w*idempotency")
                .containsPattern("Index Cond: \\(\\(tenant = \\(\\$0\\)::text\\) AND \\(idempotency_key = ")
                .doesNotContain("Rows Removed by Filter").doesNotContain("Rows Removed by Join Filter");
    }

    @Test
    void statisticsOverADayAndExportsUseIndexesToo() {
        Map<String, Object> values = new HashMap<>(EventWhere.of(TENANT, FilterParser.parse(Map.of(
                "from", List.of("2026-04-01T00:00:00Z"), "to", List.of("2026-04-02T00:00:00Z")), Set.of())).parameters());
        String where = EventWhere.of(TENANT, FilterParser.parse(Map.of("from", List.of("2026-04-01T00:00:00Z"),
                "to", List.of("2026-04-02T00:00:00Z")), Set.of())).sql();
        var stats = service().stats(CALLER.requester(), StatsRequest.parse(Map.of("groupBy", List.of("action"), "from", List.of("2026-04-01T00:00:00Z"),
                "to", List.of("2026-04-02T00:00:00Z"))));
        assertThat(stats.total()).isPositive();
        String plan = jdbi.withHandle(h -> String.join("\n", h.createQuery("explain " + lastSql.get()).bindMap(values)
                .bind("limit", 1000).mapTo(String.class).list()));
        plans.put("statistics by action over a day", plan);
        assertThat(plan).doesNotContainPattern(SEQ_SCAN);
        String export = jdbi.withHandle(h -> String.join("\n", h.createQuery(
                "explain select * from audit_events where " + where + " order by seq").bindMap(values)
                .mapTo(String.class).list()));
        plans.put("export of a day, by seq", export);
        assertThat(export).doesNotContainPattern(SEQ_SCAN);
    }
}
