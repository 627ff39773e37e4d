package bench;

import static bench.Bench.step;
import static bench.DataSet.LOAD_BASE;
import static bench.Numbers.millis;
import static bench.Numbers.percentile;
import static bench.Numbers.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.auditlog.event.EventDraft;
import org.auditlog.event.StoredEventMapper;
import org.auditlog.query.MetadataWindows;
import org.auditlog.trail.AuditTrail;

/**
 * Step 3: the five typical queries of tenant t0 over HTTP, each beside the SQL the service sends for
 * it, run from one client on a connection that plans as the service's do.
 */
final class Queries {
    private Queries() {
    }

    /**
     * One of the five typical queries: the HTTP request, and the SQL the service sends for it. For a
     * metadata match ({@code plainSql} set) that is up to four statements, as the service runs them
     * (QueryService.pageMatchingMetadata): {@code sql} over the newest {@link #WINDOW} events; when
     * that window held some matches, {@code nextSql} over a wider window read on from the last of them
     * (bound to the head, that match's time and seq, and the value) if {@link MetadataWindows} says
     * so; when it held none, {@code mixSql} (bound to the head alone),
     * then, if {@link MetadataWindows} says so, {@code pastSql} over the events past the first window
     * (bound to the head, the time the window ended, and the value); {@code plainSql} when no window
     * held a page. {@code sql} and {@code plainSql} take {@code parameters}. Where the service reads the
     * tenant's head for the page's snapshot (a first page), {@code parameters} hold {@link #HEAD},
     * and the twin reads it the same way, in its measured time, so that both page over the same
     * events: the service records every read in the tenant, so the head moves all through the step.
     */
    record Query(String name, String path, String sql, List<Object> parameters, String mixSql, String nextSql, String pastSql,
                 String plainSql, boolean planOnce) {
        Query(String name, String path, String sql, List<Object> parameters, boolean planOnce) {
            this(name, path, sql, parameters, null, null, null, null, planOnce);
        }

        /** The query with {@link #HEAD} read now as the service reads it (QueryDao.headSeq), that statement added to {@code ran}. */
        Query atHead(Connection c, List<Ran> ran) throws SQLException {
            if (!parameters.contains(HEAD)) {
                return this;
            }
            Ran read = new Ran(HEAD_SQL, List.of("t0"));
            ran.add(read);
            long head;
            try (PreparedStatement s = bind(c.prepareStatement(read.sql()), read.parameters()); ResultSet rs = s.executeQuery()) {
                rs.next();
                head = rs.getLong(1);
            }
            return new Query(name, path, sql, parameters.stream().map(p -> p == HEAD ? (Object) head : p).toList(), mixSql, nextSql, pastSql,
                    plainSql, planOnce);
        }
    }

    /** Stands for the tenant's head among a query's parameters: read when the query runs. */
    static final Object HEAD = new Object() {
        @Override
        public String toString() {
            return "the tenant's head";
        }
    };
    static final String HEAD_SQL = "select coalesce((select last_seq from chain_heads where tenant = ?), 0)";

    /** A statement as it ran, with its values. */
    record Ran(String sql, List<Object> parameters) {
    }

    static final String WINDOW = ":window";
    static final String ROWS = ":rows";

    /** The five typical queries of tenant t0, each call with fresh random parameters. */
    static List<Callable<Query>> kinds(Bench bench, String key) throws SQLException {
        Duration span = Duration.ofSeconds(31L * bench.sizes.queryRows());
        String select = "select " + StoredEventMapper.COLUMNS + " from audit_events where tenant = 't0' and ";
        String orderBy = " order by occurred_at desc, seq desc";
        String order = orderBy + " limit 101";
        return List.of(
                () -> new Query("newest page of a tenant", "/api/v1/events",
                        select + "seq <= ?" + order, List.of(HEAD), true),
                () -> {
                    Instant to = randomTime(span);
                    JsonNode first = bench.service.getJson(key, "/api/v1/events?to=" + to);
                    JsonNode last = first.get("events").get(99);
                    Instant at = Instant.parse(last.get("occurredAt").asText());
                    // the cursor carries the first page's snapshot: the head as that page read it
                    long head = bench.postgres.count("select last_seq from chain_heads where tenant = 't0'");
                    return new Query("next page by cursor",
                            "/api/v1/events?to=" + to + "&cursor=" + enc(first.get("nextCursor").asText()),
                            select + "occurred_at < ? and seq <= ? and (occurred_at, seq) < (?, ?)" + order,
                            List.of(ts(to), head, ts(at), last.get("seq").asLong()), true);
                },
                () -> {
                    Instant from = randomTime(span.minusDays(30));
                    String actor = "actor-" + 2 * ThreadLocalRandom.current().nextInt(2500);
                    return new Query("an actor over 30 days",
                            "/api/v1/events?actorId=" + actor + "&from=" + from + "&to=" + from.plus(Duration.ofDays(30)),
                            select + "occurred_at >= ? and received_at >= ? and occurred_at < ? and actor_id = ? and seq <= ?" + order,
                            List.of(ts(from), receivedFrom(from), ts(from.plus(Duration.ofDays(30))), actor, HEAD), true);
                },
                () -> {
                    Instant from = randomTime(span.minusDays(1));
                    String prefix = "svc" + 2 * ThreadLocalRandom.current().nextInt(5) + ".";
                    return new Query("an action prefix over a day",
                            "/api/v1/events?action=" + prefix + "*&from=" + from + "&to=" + from.plus(Duration.ofDays(1)),
                            select + "occurred_at >= ? and received_at >= ? and occurred_at < ? and action >= ? and action < ? and seq <= ?"
                                    + order,
                            List.of(ts(from), receivedFrom(from), ts(from.plus(Duration.ofDays(1))), prefix,
                                    prefix.substring(0, prefix.length() - 1) + "/", HEAD), false);
                },
                () -> {
                    String team = "team" + 2 * ThreadLocalRandom.current().nextInt(25);
                    String json = "{\"team\":\"" + team + "\"}";
                    String newest = "from (select * from audit_events where tenant = 't0' and seq <= ? "
                            + "order by occurred_at desc, seq desc limit " + WINDOW + ") newest";
                    String past = newest.replace("seq <= ? ", "seq <= ? and occurred_at <= ? ");
                    String next = newest.replace("seq <= ? ", "seq <= ? and (occurred_at, seq) < (?, ?) ");
                    String matches = " where metadata @> cast(? as jsonb)";
                    String match = matches + order;
                    return new Query("a metadata match", "/api/v1/events?meta.team=" + team,
                            "select " + StoredEventMapper.COLUMNS + " " + newest + match, List.of(HEAD, json),
                            "select count(*) as events, count(*) filter (where category <> '" + AuditTrail.ACCESS + "') as not_reads, "
                                    + "min(occurred_at) as last_at from (select category, occurred_at from audit_events "
                                    + "where tenant = 't0' and seq <= ? order by occurred_at desc, seq desc limit " + WINDOW + ") newest",
                            "select " + StoredEventMapper.COLUMNS + " " + next + matches + orderBy + " limit " + ROWS,
                            "select " + StoredEventMapper.COLUMNS + " " + past + match,
                            select + "seq <= ? and metadata @> cast(? as jsonb)" + order, true);
                });
    }

    static void run(Bench bench, String key) throws Exception {
        Bench.Sizes sizes = bench.sizes;
        Service service = bench.service;
        step("queries over " + sizes.queryRows() + " events: five typical ones, " + sizes.queryIterations() + " times each");
        long t0Events = bench.postgres.count("select count(*) from audit_events where tenant = 't0'");
        ArrayNode steps = bench.result.putObject("queries").put("events", bench.postgres.count("select count(*) from audit_events"))
                .put("tenantEvents", t0Events).put("iterations", sizes.queryIterations()).putArray("steps");
        List<Callable<Query>> kinds = kinds(bench, key);
        // the raw client plans like the service does: with the values (config.yml: plan_cache_mode=force_custom_plan),
        // but for the queries whose plan is made once (see planning)
        try (Connection c = new Postgres(bench.postgres.url() + "?options=-c%20plan_cache_mode%3Dforce_custom_plan").connect()) {
            for (Callable<Query> kind : kinds) {
                // warm-up of both clients and the service (plans, caches, JIT): on two cores C2 was still
                // compiling a page's path 6,000 requests into a fresh service, a third of the CPU
                for (int i = 0; i < 2 * sizes.queryIterations(); i++) {
                    Query q = kind.call();
                    rawQuery(c, q);
                    service.getJson(key, q.path());
                }
                long[] raw = new long[sizes.queryIterations()];
                long[] http = new long[sizes.queryIterations()];
                String name = null;
                long rows = 0;
                Query slowest = null;
                long slowestNanos = 0;
                for (int i = 0; i < raw.length; i++) {
                    Query q = kind.call();
                    name = q.name();
                    long t = System.nanoTime();
                    int rawRows = rawQuery(c, q);
                    raw[i] = System.nanoTime() - t;
                    if (raw[i] > slowestNanos) {
                        slowest = q;
                        slowestNanos = raw[i];
                    }
                    t = System.nanoTime();
                    int httpRows = service.getJson(key, q.path()).get("events").size();
                    http[i] = System.nanoTime() - t;
                    if (httpRows != Math.min(rawRows, 100)) {
                        bench.failures.add(name + ": the service answered " + httpRows + " rows, the SQL " + rawRows);
                    }
                    rows += httpRows;
                }
                Arrays.sort(raw);
                Arrays.sort(http);
                ObjectNode s = steps.addObject();
                s.put("query", name);
                s.put("meanRows", round((double) rows / raw.length, 1));
                s.put("slowestRawMs", millis(slowestNanos));
                s.put("slowestRawPlan", explain(c, slowest));
                s.put("httpP50Ms", millis(percentile(http, 0.5)));
                s.put("httpP95Ms", millis(percentile(http, 0.95)));
                s.put("rawP50Ms", millis(percentile(raw, 0.5)));
                s.put("rawP95Ms", millis(percentile(raw, 0.95)));
                s.put("p95GapMs", round(millis(percentile(http, 0.95)) - millis(percentile(raw, 0.95)), 2));
            }
        }
    }

    /** The plans of a query's statements as they run now, for the JSON result: why the slowest one was slow. */
    private static String explain(Connection c, Query q) throws SQLException {
        List<Ran> statements = new ArrayList<>();
        rawQuery(c, q, statements);
        StringBuilder plan = new StringBuilder();
        for (Ran statement : statements) {
            try (PreparedStatement s = bind(c.prepareStatement("explain (analyze, buffers) " + statement.sql()), statement.parameters());
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
        }
        return plan.toString();
    }

    private static int rawQuery(Connection c, Query q) throws SQLException {
        return rawQuery(c, q, new ArrayList<>());
    }

    /** Runs the query's SQL as the service does, each statement that ran added to {@code ran}; answers the rows. */
    private static int rawQuery(Connection c, Query query, List<Ran> ran) throws SQLException {
        Query q = query.atHead(c, ran);
        planning(c, q.planOnce(), ran);
        if (q.plainSql() == null) {
            return rows(c, new Ran(q.sql(), q.parameters()), ran);
        }
        int page = 101;
        int window = MetadataWindows.first(page);
        Object[] last = new Object[2];
        int found = rows(c, new Ran(q.sql().replace(WINDOW, String.valueOf(window)), q.parameters()), ran, last);
        if (found > 0 && found < page) {
            int wider = MetadataWindows.wider(page, window, found);
            if (wider > 0) {
                List<Object> after = List.of(q.parameters().get(0), last[0], last[1], q.parameters().get(1));
                found += rows(c, new Ran(q.nextSql().replace(WINDOW, String.valueOf(wider))
                        .replace(ROWS, String.valueOf(page - found)), after), ran);
            }
        } else if (found == 0) {
            Ran mix = new Ran(q.mixSql().replace(WINDOW, String.valueOf(window)), q.parameters().subList(0, 1));
            ran.add(mix);
            long events;
            MetadataWindows.Mix seen;
            List<Object> past;
            try (PreparedStatement s = bind(c.prepareStatement(mix.sql()), mix.parameters()); ResultSet rs = s.executeQuery()) {
                rs.next();
                events = rs.getLong(1);
                seen = new MetadataWindows.Mix(events, rs.getLong(2));
                past = List.of(q.parameters().get(0), rs.getTimestamp(3), q.parameters().get(1));
            }
            if (events < window) {
                return 0;
            }
            int wider = MetadataWindows.widerAfterNone(page, window, seen);
            if (wider > 0) {
                found = rows(c, new Ran(q.pastSql().replace(WINDOW, String.valueOf(wider - window)), past), ran);
            }
        }
        if (found == page) {
            return found;
        }
        planning(c, false, ran);
        return rows(c, new Ran(q.plainSql(), q.parameters()), ran);
    }

    /**
     * Plans as the service's page does (QueryService.page): a query whose filter one index serves
     * runs plans made once, set for each query as the service sets it for each transaction (here for
     * the session: the raw client does not open one); any other query is planned with its values,
     * which costs the raw client a statement only when the one before had set the other way.
     */
    private static void planning(Connection c, boolean once, List<Ran> ran) throws SQLException {
        if (once || genericPlans.contains(c)) {
            Ran set = new Ran("select set_config('plan_cache_mode', ?, false)", List.of(once ? "force_generic_plan" : "force_custom_plan"));
            ran.add(set);
            try (PreparedStatement s = bind(c.prepareStatement(set.sql()), set.parameters()); ResultSet rs = s.executeQuery()) {
                rs.next();
            }
            if (once) {
                genericPlans.add(c);
            } else {
                genericPlans.remove(c);
            }
        }
    }

    /** The raw connections last set to plans made once. */
    private static final java.util.Set<Connection> genericPlans = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    private static int rows(Connection c, Ran statement, List<Ran> ran) throws SQLException {
        return rows(c, statement, ran, new Object[2]);
    }

    /** Runs a statement and reads every column of every row; answers the rows, the last one's time and seq in {@code last}. */
    private static int rows(Connection c, Ran statement, List<Ran> ran, Object[] last) throws SQLException {
        ran.add(statement);
        try (PreparedStatement s = bind(c.prepareStatement(statement.sql()), statement.parameters())) {
            int rows = 0;
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int col = 1; col <= columns; col++) {
                        rs.getString(col);
                    }
                    if (columns >= 4) { // an event: seq and occurred_at are its third and fourth columns
                        last[0] = rs.getTimestamp(4);
                        last[1] = rs.getLong(3);
                    }
                    rows++;
                }
            }
            return rows;
        }
    }

    private static PreparedStatement bind(PreparedStatement s, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            s.setObject(i + 1, parameters.get(i));
        }
        return s;
    }

    private static Instant randomTime(Duration span) {
        return LOAD_BASE.plusSeconds(ThreadLocalRandom.current().nextLong(Duration.ofDays(2).toSeconds(), span.toSeconds()));
    }

    /** What the service adds to a lower bound of the time events happened (EventWhere): when they may have been received. */
    private static Timestamp receivedFrom(Instant occurredFrom) {
        return ts(occurredFrom.minus(EventDraft.MOST_AHEAD_OF_RECEIPT));
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
