package bench;

import static bench.Bench.JSON;
import static bench.Bench.step;
import static bench.Http.expect;
import static bench.Numbers.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Step 5: a retention run over tenant r0's expired events, a legal hold on one actor, beside one raw
 * DELETE of the same rows of tenant r1; 64 clients ingest alone before, and during each.
 */
final class Retention {
    private Retention() {
    }

    static void run(Bench bench, String adminKey, String ingestKey) throws Exception {
        Service service = bench.service;
        Postgres postgres = bench.postgres;
        int expired = bench.sizes.retentionRows();
        step("retention of " + expired + " expired events, with 64 clients ingesting, beside a raw DELETE");
        AtomicLong eventNo = new AtomicLong(20_000_000_000L);
        Http.Reply hold = service.post(adminKey, "/api/v1/retention/holds",
                "{\"name\": \"bench\", \"reason\": \"kept by the benchmark\", \"filters\": {\"actorId\": \"actor-7\"}}");
        expect(hold, 201, "legal hold");
        long held = postgres.count("select count(*) from audit_events where tenant = 'r0' and actor_id = 'actor-7'");
        Load alone = Load.run(64, bench.sizes.retentionIngestSeconds(), service.singleEvents(ingestKey, eventNo));

        double[] rawSeconds = new double[1];
        long[] rawDeleted = new long[1];
        Load duringRaw = beside(service.singleEvents(ingestKey, eventNo), () -> {
            long t = System.nanoTime();
            try (Connection c = postgres.connect()) {
                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("set local audit.retention = 'on'");
                    rawDeleted[0] = s.executeUpdate("delete from audit_events where tenant = 'r1' "
                            + "and occurred_at < now() - interval '365 days' and actor_id <> 'actor-7'");
                }
                c.commit();
            }
            rawSeconds[0] = (System.nanoTime() - t) / 1e9;
        });

        JsonNode[] run = new JsonNode[1];
        double[] serviceSeconds = new double[1];
        Load duringService = beside(service.singleEvents(ingestKey, eventNo), () -> {
            long t = System.nanoTime();
            Http.Reply reply = Http.send("POST", service.base() + "/api/v1/retention/runs?dryRun=false", adminKey, "",
                    Duration.ofMinutes(15));
            serviceSeconds[0] = (System.nanoTime() - t) / 1e9;
            expect(reply, 200, "retention run");
            run[0] = JSON.readTree(reply.body());
        });
        long left = postgres.count("select count(*) from audit_events where tenant = 'r0' and occurred_at < '2020-01-01'");
        long expectedDeleted = expired - held;
        if (run[0].get("deleted").asLong() != expectedDeleted || left != held || rawDeleted[0] != expectedDeleted) {
            bench.failures.add("retention deleted " + run[0].get("deleted") + " (service) and " + rawDeleted[0] + " (raw) of "
                    + expectedDeleted + "; " + left + " left, " + held + " held");
        }
        if (alone.errors() + duringRaw.errors() + duringService.errors() > 0) {
            bench.failures.add("ingest beside retention answered errors");
        }
        ObjectNode step = bench.result.putObject("retention");
        step.put("expiredEvents", expired);
        step.put("held", held);
        step.put("serviceDeleted", run[0].get("deleted").asLong());
        step.put("serviceSeconds", round(serviceSeconds[0], 2));
        step.put("rawDeleteSeconds", round(rawSeconds[0], 2));
        step.put("ratio", round(rawSeconds[0] / serviceSeconds[0], 2));
        step.set("ingestAlone", alone.json());
        step.set("ingestDuringServiceRetention", duringService.json());
        step.set("ingestDuringRawDelete", duringRaw.json());
        step.put("ingestRatioDuringService", round(duringService.perSecond() / alone.perSecond(), 2));
        step.put("ingestRatioDuringRaw", round(duringRaw.perSecond() / alone.perSecond(), 2));
    }

    /** Ingests with 64 clients for as long as {@code work} takes. */
    private static Load beside(Supplier<Task> ingest, Task work) throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        AtomicBoolean running = new AtomicBoolean(true);
        try {
            Future<Load> load = two.submit(() -> Load.until(64, running, ingest));
            Future<?> done = two.submit(() -> {
                work.run();
                return null;
            });
            done.get();
            running.set(false);
            return load.get();
        } finally {
            running.set(false);
            two.shutdownNow();
        }
    }
}
