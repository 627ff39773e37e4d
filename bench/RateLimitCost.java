package bench;

import static bench.Bench.step;
import static bench.Numbers.round;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Step 9: what the rate limit shared through PostgreSQL costs a request. Two services run side by
 * side on a database of their own, one with the shared limits on (high enough never to refuse, so
 * every request takes a token from its key's and its tenant's bucket) and one with them off; single
 * events from 64 clients go to one and then the other in alternating windows, after both have warmed
 * up. Reported: events/s and latency of each, the service's CPU per request, and how many times the
 * limited service wrote a bucket in the database (an UPDATE or INSERT of {@code rate_limit_buckets},
 * from PostgreSQL's statistics) per 1,000 requests.
 */
final class RateLimitCost {
    private RateLimitCost() {
    }

    static void run(Bench bench) throws Exception {
        String database = bench.database + "_ratelimit";
        step("shared rate limit: create scratch database " + database);
        Postgres.ADMIN.execute("create database " + database);
        Postgres postgres = Postgres.named(database);
        Path data = Files.createTempDirectory("bench-ratelimit");
        Map<String, String> env = Map.of("AUDIT_DB_URL", postgres.url(), "AUDIT_DB_USER", "postgres", "AUDIT_DB_PASSWORD", "",
                "AUDIT_DATA_DIR", data.toString());
        Service.runJar(bench.jar, env, "db", "migrate", "config.yml");
        String key = Service.runJar(bench.jar, env, "create-key", "config.yml", "--tenant", "limited", "--role", "ingest",
                "--name", "bench-ingest");
        Service limited = null;
        Service unlimited = null;
        try {
            Files.createDirectories(data.resolve("limited"));
            Files.createDirectories(data.resolve("unlimited"));
            limited = Service.start(bench.jar, env, data.resolve("limited"), "256m", false, List.of(
                    "-Ddw.rateLimit.requestsPerSecond=100000", "-Ddw.rateLimit.burst=100000",
                    "-Ddw.rateLimit.tenantRequestsPerSecond=100000", "-Ddw.rateLimit.tenantBurst=100000"));
            unlimited = Service.start(bench.jar, env, data.resolve("unlimited"), "256m", false,
                    List.of("-Ddw.rateLimit.enabled=false"));
            int seconds = bench.sizes.rateLimitSeconds();
            AtomicLong eventNo = new AtomicLong(20_000_000_000L);
            // the JIT takes minutes to compile the request path (step 2): both warm up in turns first
            step("shared rate limit: warm both services up, " + 4 * seconds + " s each");
            for (int i = 0; i < 4; i++) {
                Load.run(64, seconds, limited.singleEvents(key, eventNo));
                Load.run(64, seconds, unlimited.singleEvents(key, eventNo));
            }
            long writesBefore = bucketWrites(postgres);
            CpuUse limitedCpu = new CpuUse(limited.pid());
            CpuUse unlimitedCpu = new CpuUse(unlimited.pid());
            ArrayNode windows = Bench.JSON.createArrayNode();
            long limitedDone = 0;
            long unlimitedDone = 0;
            long limitedErrors = 0;
            double limitedRate = 0;
            double unlimitedRate = 0;
            int rounds = 4;
            Load lastLimited = null;
            Load lastUnlimited = null;
            for (int round = 1; round <= rounds; round++) {
                // in turns, the limited one first in odd rounds and second in even ones, so a drift of the
                // machine through the step weighs on both sides alike
                boolean limitedFirst = round % 2 == 1;
                step("shared rate limit: round " + round + " of " + rounds + ", " + seconds + " s each, "
                        + (limitedFirst ? "limited first" : "unlimited first"));
                Service on = limited;
                Service off = unlimited;
                Load a;
                Load b;
                if (limitedFirst) {
                    a = limitedCpu.measure(() -> Load.run(64, seconds, on.singleEvents(key, eventNo)));
                    b = unlimitedCpu.measure(() -> Load.run(64, seconds, off.singleEvents(key, eventNo)));
                } else {
                    b = unlimitedCpu.measure(() -> Load.run(64, seconds, off.singleEvents(key, eventNo)));
                    a = limitedCpu.measure(() -> Load.run(64, seconds, on.singleEvents(key, eventNo)));
                }
                limitedDone += a.done();
                unlimitedDone += b.done();
                limitedErrors += a.errors() + b.errors();
                limitedRate += a.perSecond() / rounds;
                unlimitedRate += b.perSecond() / rounds;
                windows.addObject().put("limited", Math.round(a.perSecond())).put("unlimited", Math.round(b.perSecond()));
                lastLimited = a;
                lastUnlimited = b;
            }
            // a backend reports its statistics when idle for a while: wait until the limited service's have come in
            Thread.sleep(12_000);
            long writes = bucketWrites(postgres) - writesBefore;
            if (limitedErrors > 0) {
                bench.failures.add("shared rate limit: " + limitedErrors + " errors");
            }
            ObjectNode node = bench.result.putObject("rateLimit");
            node.put("seconds", seconds);
            node.put("rounds", rounds);
            node.put("clients", 64);
            node.put("limitedEventsPerSecond", Math.round(limitedRate));
            node.put("unlimitedEventsPerSecond", Math.round(unlimitedRate));
            node.put("ratio", round(limitedRate / unlimitedRate, 2));
            node.set("windows", windows);
            node.set("limitedLast", lastLimited.json());
            node.set("unlimitedLast", lastUnlimited.json());
            node.set("limitedCpu", limitedCpu.json(limitedDone));
            node.set("unlimitedCpu", unlimitedCpu.json(unlimitedDone));
            node.put("limitedRequests", limitedDone);
            node.put("bucketWrites", writes);
            node.put("bucketWritesPerThousandRequests", round(1000.0 * writes / Math.max(1, limitedDone), 2));
        } finally {
            if (limited != null) {
                limited.stop();
            }
            if (unlimited != null) {
                unlimited.stop();
            }
            Postgres.ADMIN.execute("drop database if exists " + database + " with (force)");
        }
    }

    /** Rows of {@code rate_limit_buckets} inserted or updated so far, as PostgreSQL's statistics have them. */
    private static long bucketWrites(Postgres postgres) throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select coalesce(sum(n_tup_ins + n_tup_upd), 0) from pg_stat_user_tables"
                     + " where relname = 'rate_limit_buckets'")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
