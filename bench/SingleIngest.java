package bench;

import static bench.Bench.JSON;
import static bench.Bench.step;
import static bench.Numbers.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Step 2: single events from 64 HTTP clients beside single-row INSERTs from 8 clients. */
final class SingleIngest {
    private SingleIngest() {
    }

    static void run(Bench bench, String key) throws Exception {
        Service service = bench.service;
        int seconds = bench.sizes.singleSeconds();
        step("single-event ingest: 64 clients for " + seconds + " s, beside raw INSERTs from 8 clients");
        AtomicLong eventNo = new AtomicLong(10_000_000_000L);
        AtomicLong rawSeq = new AtomicLong(1_000_000_000L);
        // warm-up until the rate settles: on two cores shared with 64 clients and PostgreSQL, the JIT
        // takes minutes to compile the request path: alone on this machine, a service took half its
        // warm rate in its first 40 s under load, and 1.4 times its warm CPU per event in the next 30 s
        ArrayNode warmUp = warmUp(bench, key, eventNo);
        CpuUse rawCpu = new CpuUse(service.pid());
        CpuUse httpCpu = new CpuUse(service.pid());
        Load raw = rawCpu.measure(() -> Load.run(8, seconds, rawInserts(bench.postgres, rawSeq, eventNo)));
        Load http = httpCpu.measure(() -> Load.run(64, seconds, service.singleEvents(key, eventNo)));
        if (http.errors() + raw.errors() > 0) {
            bench.failures.add("single ingest: " + http.errors() + " service errors, " + raw.errors() + " raw errors");
        }
        ObjectNode step = bench.result.putObject("singleIngest");
        step.set("serviceMetrics", ingestMetrics(service));
        step.put("seconds", seconds);
        step.put("serviceClients", 64);
        step.put("rawClients", 8);
        step.set("service", http.json());
        step.set("raw", raw.json());
        step.set("serviceCpu", httpCpu.json(http.done()));
        step.set("rawCpu", rawCpu.json(raw.done()));
        step.put("ratio", round(http.perSecond() / raw.perSecond(), 2));
        step.set("warmUpEventsPerSecond", warmUp);
    }

    /**
     * Single events from 64 clients in windows of 10 s (one window in --quick) until the rate has not
     * set a new high by more than 3% for three windows in a row, or for at most
     * {@code singleWarmUpSeconds}. Answers each window's events per second.
     */
    private static ArrayNode warmUp(Bench bench, String key, AtomicLong eventNo) throws Exception {
        ArrayNode rates = JSON.createArrayNode();
        int most = bench.sizes.singleWarmUpSeconds();
        int window = Math.min(10, most);
        double best = 0;
        int stale = 0;
        for (int spent = 0; spent < most && stale < 3; spent += window) {
            double rate = Load.run(64, window, bench.service.singleEvents(key, eventNo)).perSecond();
            rates.add(Math.round(rate));
            if (rate > best * 1.03) {
                best = rate;
                stale = 0;
            } else {
                stale++;
            }
        }
        System.out.println("  warm-up, events/s per window: " + rates);
        return rates;
    }

    /** The service's own view of its commits so far (group sizes, statement timers), for the JSON result. */
    private static ObjectNode ingestMetrics(Service service) throws IOException {
        JsonNode metrics = JSON.readTree(Http.send("GET", service.adminBase() + "/metrics", null, null, Duration.ofSeconds(60)).body());
        ObjectNode out = JSON.createObjectNode();
        for (String section : List.of("histograms", "timers")) {
            metrics.path(section).properties().forEach(m -> {
                if (m.getKey().contains("EventAppendDao") || m.getKey().contains("ingest.commit")
                        || m.getKey().equals("org.auditlog.ingest.IngestResource.ingest.single")) {
                    ObjectNode v = out.putObject(m.getKey());
                    for (String f : List.of("count", "mean", "p50", "p99", "max")) {
                        v.set(f, m.getValue().get(f));
                    }
                }
            });
        }
        return out;
    }

    /** Clients that each insert one row at a time in autocommit, on a connection of their own. */
    private static Supplier<Task> rawInserts(Postgres postgres, AtomicLong rawSeq, AtomicLong eventNo) {
        return () -> {
            try {
                Connection c = postgres.connect();
                PreparedStatement insert = c.prepareStatement("insert into audit_events (" + Events.RAW_COLUMNS
                        + ") values (?, ?, ?, now(), now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?)");
                return () -> Events.bind(insert, "single-raw", rawSeq.incrementAndGet(), eventNo.incrementAndGet()).executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
