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
 * Step 5: a retention run of every tenant (the {@code retention-run} task) over tenant r0's expired
 * events, which fill partitions of their own and go by dropping them, and a twentieth as many in a
 * partition where a legal hold keeps one actor's, which go by batched deletes; beside one raw DELETE
 * of as many rows of tenant r1. 64 clients ingest during each, and alone before, between and after
 * them: each ratio is against the mean of the two windows alone on either side of it, since ingest
 * alone drifts through the step (on the scratch database it moved between 2,000 and 3,700 events/s
 * from one half-second to the next, with nothing else running), and a single window before would
 * count that drift as the work's.
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
        // a run of every tenant: the tenants of the other steps keep their events (a policy of 100 years)
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("insert into retention_policies (tenant, category, retain_days, updated_at, updated_by) "
                    + "select tenant, '*', 36500, now(), 'bench' from chain_heads where tenant not in ('r0', 'r1') "
                    + "on conflict (tenant, category) do update set retain_days = 36500");
        }
        long held = postgres.count("select count(*) from audit_events where tenant = 'r0' and actor_id = 'actor-7'");
        // r0's admin key records its own actions in r0 too, received now: only what was loaded counts
        long inHeldPartition = postgres.count("select count(*) from audit_events where tenant = 'r0' "
                + "and received_at >= '2019-06-01' and received_at < '2020-01-01'");
        long partitions = postgres.count("select count(*) from audit_event_partitions");
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

        // the twin's partitions, emptied by its DELETE, go before the service's step, untimed: their dead
        // rows are the twin's to clean up, not work of the service's run
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            java.util.List<String> emptied = new java.util.ArrayList<>();
            try (var rows = s.executeQuery("select name from audit_event_partitions "
                    + "where from_at >= '2018-01-01' and to_at <= '2019-01-01'")) {
                while (rows.next()) {
                    emptied.add(rows.getString(1));
                }
            }
            for (String name : emptied) {
                s.execute("alter table audit_events detach partition " + name);
                s.execute("drop table " + name);
            }
        }
        Load between = Load.run(64, bench.sizes.retentionIngestSeconds(), service.singleEvents(ingestKey, eventNo));
        JsonNode[] runs = new JsonNode[1];
        double[] serviceSeconds = new double[1];
        Load duringService = beside(service.singleEvents(ingestKey, eventNo), () -> {
            long t = System.nanoTime();
            Http.Reply reply = Http.send("POST", service.adminBase() + "/tasks/retention-run?dryRun=false", null, "",
                    Duration.ofMinutes(15));
            serviceSeconds[0] = (System.nanoTime() - t) / 1e9;
            expect(reply, 200, "retention task");
            runs[0] = JSON.readTree(reply.body()).get("runs");
        });
        Load after = Load.run(64, bench.sizes.retentionIngestSeconds(), service.singleEvents(ingestKey, eventNo));
        JsonNode metrics = JSON.readTree(Http.send("GET", service.adminBase() + "/metrics", null, null,
                Duration.ofSeconds(60)).body());
        double partitionSeconds = metrics.path("timers").path("retention.partitions").path("max").asDouble();
        // the task answers every tenant's runs; only r0 has events that may go
        long byPartition = 0;
        long byBatches = 0;
        double batchSeconds = 0;
        for (JsonNode run : runs[0]) {
            if (run.has("partition")) {
                byPartition += run.get("deleted").asLong();
            } else if (run.get("deleted").asLong() > 0) {
                byBatches += run.get("deleted").asLong();
                batchSeconds += java.time.Duration.between(java.time.Instant.parse(run.get("startedAt").asText()),
                        java.time.Instant.parse(run.get("finishedAt").asText())).toMillis() / 1000.0;
            }
        }
        long left = postgres.count("select count(*) from audit_events where tenant = 'r0' and received_at < '2020-01-01'");
        long partitionsLeft = postgres.count("select count(*) from audit_event_partitions");
        if (byPartition != expired || byBatches != inHeldPartition - held || left != held || rawDeleted[0] != expired) {
            bench.failures.add("retention deleted " + byPartition + " by partitions and " + byBatches + " by batches "
                    + "(service) and " + rawDeleted[0] + " (raw) of " + expired + " + " + (inHeldPartition - held) + "; "
                    + left + " left, " + held + " held");
        }
        if (alone.errors() + between.errors() + after.errors() + duringRaw.errors() + duringService.errors() > 0) {
            bench.failures.add("ingest beside retention answered errors");
        }
        ObjectNode step = bench.result.putObject("retention");
        step.put("expiredEvents", expired);
        step.put("partitionsBefore", partitions);
        step.put("partitionsAfter", partitionsLeft);
        step.put("serviceDeleted", byPartition);
        step.put("partitionSeconds", round(partitionSeconds, 2));
        step.put("rawDeleteSeconds", round(rawSeconds[0], 2));
        step.put("ratio", round(rawSeconds[0] / partitionSeconds, 2));
        step.put("held", held);
        step.put("heldPartitionDeleted", byBatches);
        step.put("heldPartitionSeconds", round(batchSeconds, 2));
        step.put("taskSeconds", round(serviceSeconds[0], 2));
        step.set("ingestAlone", alone.json());
        step.set("ingestAloneBetween", between.json());
        step.set("ingestAloneAfter", after.json());
        step.set("ingestDuringServiceRetention", duringService.json());
        step.set("ingestDuringRawDelete", duringRaw.json());
        step.put("ingestRatioDuringService", round(2 * duringService.perSecond() / (between.perSecond() + after.perSecond()), 2));
        step.put("ingestRatioDuringRaw", round(2 * duringRaw.perSecond() / (alone.perSecond() + between.perSecond()), 2));
        // as measured before: against the window alone before the raw DELETE
        step.put("ingestRatioDuringServiceOfFirst", round(duringService.perSecond() / alone.perSecond(), 2));
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
