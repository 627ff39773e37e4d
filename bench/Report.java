package bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** docs/benchmarks.md from the result: the table, the machine, the command, what each step does. */
final class Report {
    private Report() {
    }

    static String table(JsonNode r) {
        StringBuilder t = new StringBuilder();
        t.append("| step | measure | service | raw PostgreSQL | ratio or gap | target | met |\n");
        t.append("|---|---|---:|---:|---:|---|---|\n");
        JsonNode b = r.get("batchIngest");
        if (b != null) {
            row(t, "1. batch ingest", "events/s, " + b.get("batchSize") + " a batch, " + b.get("clients")
                    + " clients into one tenant, chain on / `COPY` of the same rows", num(b, "serviceEventsPerSecond"),
                    num(b, "rawCopyEventsPerSecond"), b.get("ratio").asText(), "≥ 0.6", b.get("ratio").asDouble() >= 0.6);
            cpuRow(t, b);
        }
        JsonNode bt = r.get("batchIngestTenants");
        if (bt != null) {
            row(t, "", "the same, each client in its own tenant (4 chains)", num(bt, "serviceEventsPerSecond"),
                    num(bt, "rawCopyEventsPerSecond"), bt.get("ratio").asText(), "", null);
        }
        JsonNode s = r.get("singleIngest");
        if (s != null) {
            JsonNode svc = s.get("service");
            JsonNode raw = s.get("raw");
            row(t, "2. single-event ingest", "events/s, 64 HTTP clients / 8 clients of single-row INSERTs, synchronous commit",
                    num(svc, "eventsPerSecond"), num(raw, "eventsPerSecond"), s.get("ratio").asText(), "reported",
                    null); // no target: 1.5 times the twin cannot fit two cores (docs/benchmarks.md)
            row(t, "", "latency p50 / p99, ms", svc.get("p50Ms") + " / " + svc.get("p99Ms"),
                    raw.get("p50Ms") + " / " + raw.get("p99Ms"), "", "", null);
            cpuRow(t, s);
        }
        JsonNode q = r.get("queries");
        if (q != null) {
            for (JsonNode step : q.get("steps")) {
                double gap = step.get("p95GapMs").asDouble();
                double p95 = step.get("httpP95Ms").asDouble();
                row(t, "3. " + step.get("query").asText(), "p50 / p95 ms over " + String.format(Locale.ROOT, "%,d",
                        q.get("events").asLong()) + " events", step.get("httpP50Ms") + " / " + step.get("httpP95Ms"),
                        step.get("rawP50Ms") + " / " + step.get("rawP95Ms"), String.format(Locale.ROOT, "%+.2f ms", gap),
                        "p95 ≤ raw + 5 ms, < 20 ms", gap <= 5 && p95 < 20);
            }
        }
        JsonNode e = r.get("export");
        if (e != null) {
            row(t, "4. CSV export", "rows/s, " + String.format(Locale.ROOT, "%,d", e.get("rows").asLong())
                    + " rows, heap " + e.get("heap").asText() + " / `COPY (SELECT …) TO STDOUT WITH CSV`",
                    num(e, "serviceRowsPerSecond"), num(e, "rawRowsPerSecond"), e.get("ratio").asText(), "≥ 0.5",
                    e.get("ratio").asDouble() >= 0.5);
        }
        JsonNode ret = r.get("retention");
        if (ret != null) {
            double ratio = ret.get("ratio").asDouble();
            double ingest = ret.get("ingestRatioDuringService").asDouble();
            row(t, "5. retention", "seconds to drop the partitions of " + String.format(Locale.ROOT, "%,d",
                    ret.get("serviceDeleted").asLong()) + " expired events (" + ret.get("partitionsBefore")
                    + " partitions before, " + ret.get("partitionsAfter") + " after) / one `DELETE` of as many",
                    ret.get("partitionSeconds").asText(), ret.get("rawDeleteSeconds").asText(), ret.get("ratio").asText(),
                    "≥ 5", ratio >= 5);
            row(t, "", "seconds of the batched deletes of " + String.format(Locale.ROOT, "%,d",
                    ret.get("heldPartitionDeleted").asLong()) + " expired events in the partition where a hold keeps "
                    + ret.get("held") + "; the whole task: " + ret.get("taskSeconds") + " s",
                    ret.get("heldPartitionSeconds").asText(), "", "", "reported", null);
            String alone = ret.has("ingestAloneAfter") ? "alone before, between, after: " + num(ret.get("ingestAlone"), "eventsPerSecond")
                    + ", " + num(ret.get("ingestAloneBetween"), "eventsPerSecond") + ", " + num(ret.get("ingestAloneAfter"), "eventsPerSecond")
                    + " (each ratio against the two on either side)" : "alone " + num(ret.get("ingestAlone"), "eventsPerSecond");
            row(t, "", "ingest events/s, 64 clients: during the task / during the `DELETE`; " + alone,
                    num(ret.get("ingestDuringServiceRetention"), "eventsPerSecond"),
                    num(ret.get("ingestDuringRawDelete"), "eventsPerSecond"),
                    ret.get("ingestRatioDuringService") + " / " + ret.get("ingestRatioDuringRaw") + " of alone",
                    "≥ 0.9 during the task", ingest >= 0.9);
        }
        JsonNode f = r.get("footprint");
        if (f != null) {
            row(t, "6. footprint", "start seconds; RSS MiB at rest / after the load / peak", f.get("startSeconds") + " s; "
                    + f.get("rssAtRestMiB") + " / " + f.get("rssAfterLoadMiB") + " / " + f.get("peakRssMiB"), "", "",
                    "reported", null);
        }
        JsonNode rep = r.get("report");
        if (rep != null && rep.has("ratio")) {
            row(t, "7. compliance report", "seconds for the PDF of " + String.format(Locale.ROOT, "%,d", rep.get("events").asLong())
                    + " events over " + rep.get("periodDays") + " days, heap " + rep.get("heap").asText() + " ("
                    + String.format(Locale.ROOT, "%,d", rep.get("pageCount").asLong()) + " pages, "
                    + String.format(Locale.ROOT, "%.1f", rep.get("fileBytes").asLong() / 1048576.0) + " MiB; run "
                    + rep.get("date").asText() + ") / its statements and the period's chain read on PostgreSQL",
                    rep.get("serviceSeconds").asText(), rep.get("rawSeconds").asText(), rep.get("ratio").asText(),
                    "done, no OutOfMemoryError", rep.get("status").asText().equals("done") && rep.get("outOfMemoryErrors").asLong() == 0);
            row(t, "", "MiB while the report is made: peak heap used of its maximum; peak RSS (VmHWM)", rep.get("peakHeapUsedMiB")
                    + " of " + rep.get("heapMaxMiB") + "; " + rep.get("peakRssMiB"), "", "", "reported", null);
        }
        JsonNode rl = r.get("rateLimit");
        if (rl != null) {
            row(t, "9. shared rate limit", "events/s, 64 clients, limits on (key and tenant buckets in PostgreSQL) / off",
                    num(rl, "limitedEventsPerSecond"), num(rl, "unlimitedEventsPerSecond") + " (off)", rl.get("ratio").asText(),
                    "reported", null);
            row(t, "", "service CPU µs per request, on / off; bucket writes in the database per 1,000 requests",
                    rl.get("limitedCpu").get("serviceMicrosPerEvent") + " / " + rl.get("unlimitedCpu").get("serviceMicrosPerEvent"),
                    "", rl.get("bucketWritesPerThousandRequests") + " writes", "reported", null);
        }
        JsonNode st = r.get("streams");
        if (st != null) {
            for (String format : new String[] {"native", "ocsf"}) {
                JsonNode side = st.get(format);
                row(t, format.equals("native") ? "8. stream delivery" : "", "events/s delivered to a loopback webhook, `"
                        + format + "`, " + String.format(Locale.ROOT, "%,d", side.get("events").asLong()) + " events in batches of "
                        + st.get("batchSize") + " / `to_jsonb` of the same rows posted in the same batches",
                        num(side, "eventsPerSecond"), num(st, "rawEventsPerSecond"), side.get("ratio").asText(), "reported", null);
            }
        }
        return t.toString();
    }

    /** Where the CPU went on each side of an ingest step (older results do not have it). */
    private static void cpuRow(StringBuilder t, JsonNode step) {
        JsonNode svc = step.get("serviceCpu");
        JsonNode raw = step.get("rawCpu");
        if (svc != null && raw != null) {
            row(t, "", "CPU µs per event: service + load generator + rest of the machine (PostgreSQL); "
                    + "machine idle", cpu(svc, true), cpu(raw, false), "", "", null);
        }
    }

    private static String cpu(JsonNode c, boolean service) {
        JsonNode threads = c.get("serviceThreadsPercent");
        String split = service && threads != null ? " (request threads " + threads.get("requests") + "%, ingest lanes "
                + threads.get("ingestLanes") + "%, JIT " + threads.get("jit") + "%, GC " + threads.get("gc") + "%)" : "";
        return (service ? c.get("serviceMicrosPerEvent") + split + " + " : "") + c.get("loadGeneratorMicrosPerEvent") + " + "
                + c.get("restOfMachineMicrosPerEvent") + "; " + c.get("idlePercent") + "% idle";
    }

    private static void row(StringBuilder t, String step, String measure, String service, String raw, String ratio,
                            String target, Boolean met) {
        t.append("| ").append(step).append(" | ").append(measure).append(" | ").append(service).append(" | ")
                .append(raw).append(" | ").append(ratio.isEmpty() ? "" : "**" + ratio + "**").append(" | ")
                .append(target).append(" | ").append(met == null ? "" : met ? "yes" : "**no**").append(" |\n");
    }

    private static String num(JsonNode node, String field) {
        return String.format(Locale.ROOT, "%,d", node.get(field).asLong());
    }

    static String markdown(JsonNode r, boolean quick) {
        JsonNode m = r.get("machine");
        return "# Benchmarks\n\n"
                + "Every figure of the service is measured beside its raw-PostgreSQL twin **in the same run** on the\n"
                + "same machine, and the table shows the ratio (or, for queries, the gap in milliseconds): these machines\n"
                + "are shared and noisy, so absolute numbers move from run to run while ratios mostly hold.\n\n"
                + "```sh\nbench/run            # full run, about " + Math.round(r.path("totalSeconds").asDouble() / 60)
                + " minutes here; rewrites this page and bench/results/bench.json\n"
                + "bench/run --quick    # small sizes, about four minutes; part of CI (BenchQuickIT), writes target/bench/\n"
                + "bench/run --only report   # the report step alone; its figures go into bench/results/bench.json and this page\n"
                + "bench/run --only ratelimit   # the shared rate limit step alone, likewise\n```\n\n"
                + (quick ? "**This is a `--quick` run: sizes are too small for the figures to mean much.**\n\n" : "")
                + "Last run: " + r.get("date").asText() + ", " + r.get("mode").asText() + " mode, " + m.get("cores") + " cores ("
                + m.get("cpu").asText() + "), " + m.get("memoryGiB") + " GiB, PostgreSQL " + m.get("postgresql").asText()
                + " on the same machine, Java " + m.get("java").asText() + ", the service started with `-Xmx256m`; "
                + "the run took " + Math.round(r.path("totalSeconds").asDouble()) + " s, loading " + r.path("loadSeconds") + " s of it.\n\n"
                + table(r) + "\n"
                + (r.path("failures").isEmpty() ? "" : "Failures: " + r.get("failures") + "\n\n")
                + METHOD + findings();
    }

    /** What the figures mean and what is left, written by hand in bench/findings.md. */
    static String findings() {
        try {
            return "\n" + Files.readString(Path.of("bench/findings.md"));
        } catch (IOException e) {
            return "";
        }
    }

    static final String METHOD = """
            ## What each step does

            `bench/run` builds the jar if the sources are newer, creates a scratch database on the PostgreSQL at
            127.0.0.1:5432, migrates it, loads it with `bench/load-events.sql` and `bench/load-expired.sql`
            (secondary indexes dropped during the load and built again after, from their own definitions; then
            `VACUUM (ANALYZE)`, so that autovacuum does not take up the loaded rows in the middle of a step), starts
            `target/audit-service.jar` with `-Xmx256m`, measures, and drops the database. The load generator is
            `bench/*.java`, on the same two cores as the service and PostgreSQL; the raw twins run from the same
            process, so both sides pay for the client. Its HTTP client is the JDK's blocking one
            (`HttpURLConnection`, HTTP/1.1, a kept-alive connection per client thread), as the raw side is JDBC's
            blocking driver; `java.net.http.HttpClient`, used until 2026-11-30, hands each request between
            threads and by itself added about 2 ms to a query's p95 here (see the findings).

            The service runs `config.yml` as shipped with two overrides: scheduled jobs off (the loaded rows carry
            filler hashes, which the verification job would rightly report), and a rate limit high enough for
            one key to carry the whole load. Queries are recorded in the log as shipped.

            0. **Warm-up**, not measured: single events from 64 clients and queries, then batches from 4
               clients for a third as long, so that the steps measure the service with its hot paths compiled,
               as a long-running service has them.
            1. **Batch ingest**: 4 clients post batches of 1,000 events (every field filled, idempotency keys, the
               hash chain on) to one tenant; the twin is 4 clients each running `COPY audit_events FROM STDIN` of
               1,000 rows of the same content per statement. Two rounds each, alternating. Ratio = service
               events/s ÷ COPY events/s. A tenant's appends are serialized (one chain, one head), so one
               tenant's batches go through one connection while the twin's 4 `COPY`s run side by side; the
               second row gives each client its own tenant.
            2. **Single-event ingest**: 64 clients post one event at a time for the step's seconds, after a
               warm-up that runs until the rate settles: windows of 10 s, until three in a row set no new high
               by more than 3%, for at most 300 s (the result lists each window's rate). On two cores shared
               with the clients and PostgreSQL, the JIT takes minutes to compile the request path: alone on
               this machine, a service took half its warm rate in its first 40 s under load, and 1.4 times its
               warm CPU per event in the next 30 s. The twin is 8 clients of
               single-row `INSERT`s in autocommit with synchronous commit. Concurrent requests to a tenant
               share one commit (group commit), and no request is answered before it.

               Both ingest steps also show where the two cores went while each side ran, from `/proc`: CPU
               time per event of the service, of the load generator, and of the rest of the machine (PostgreSQL,
               mostly), and the share of the machine left idle. A side that leaves nothing idle is limited by
               the CPU of the two cores, not by waiting. The service's CPU is also split by its threads:
               Jetty's request threads (HTTP, Jersey, auth, metrics, the access log, and each request's own
               work: reading, validating and hashing the event), the ingest lanes (the chain's commits), the
               JIT's compiler threads (near zero once the service is warm) and the garbage collector.
            3. **Queries** on tenant `t0` (half of the loaded events), one client, each query with fresh random
               parameters, HTTP and its SQL alternating: the newest page (100 events), the next page by the
               cursor of a page ending at a random time, an actor over 30 days, an action prefix (`svcN.*`) over a
               day, and a metadata match (`meta.team=teamN`), each after twice as many unmeasured rounds as
               it measures (the JIT compiler was still busy with a page's path 6,000 requests into a fresh
               service, and the client needs its own warm-up). The raw twin is the SQL the service sends for it
               (`EventWhere` and `QueryDao`), read to the last column, after the statement that reads the tenant's
               head for a first page's snapshot, as the service does: every query is recorded in `t0` as it is
               answered, so the head moves all through the step, and both sides page over the same events.
            4. **CSV export**: `GET /api/v1/exports/stream?format=csv` of 1,000,000 events read to the end,
               beside `COPY (SELECT the same columns … ORDER BY seq) TO STDOUT WITH CSV HEADER` read to the end by
               the same client. Ratio = COPY seconds ÷ export seconds.
            5. **Retention**: tenant `r0` holds the step's expired events, received in January 2019 (one
               every 2.5 s, so they fill that month's partition), and a twentieth as many in June 2019, where a
               legal hold on one actor keeps every 500th. The other tenants get a 100-year policy. The
               `retention-run` task (a run of every tenant) drops January's partition whole, with its signed
               receipt (the measured seconds are the `retention.partitions` timer: retiring, detaching,
               dropping), then deletes June's expired events in batches of 5,000 (reported beside it), waiting
               `retention.batchPause` (1 s, the default) after each full batch as a run of every tenant does. The twin is one
               `DELETE` of as many rows of tenant `r1` (2018, partitions of their own). 64 clients ingest
               during each, and alone before, between and after them (10 s each); each throughput ratio is against
               the mean of the two windows alone on either side of it, since ingest alone drifts through the step.
            6. **Footprint**: seconds from starting the process until the API answers, and the resident set size
               (`VmRSS`, and `VmHWM` for the peak) of the service process at rest and after all of the above.
            7. **Compliance report** (`bench/run --only report` runs it alone): a scratch database of its own
               holds one tenant's chain of 1,000,000 events (100,000 with `--quick`) over the 30 days before
               the run's day, hashed by the benchmark as the service hashes them and sent with `COPY`: 0.5%
               admin events (the privileged list), 30% logins (one in twelve failed or denied), 30% reads
               and exports by 2,000 actors (the data-access list), the rest changes. A service started with
               `-Xmx256m` and its scheduled jobs on (a report is made by a job) first verifies the whole chain,
               unmeasured; then `POST /api/v1/reports` over the 30 days is polled every
               250 ms until `done`. Time is from the request to `done`; the PDF is downloaded and checked
               against its SHA-256. Memory while it is made: the heap used, read from the admin port's
               `/metrics` (`jvm.memory.heap.used`, `.max`) every second, and the peak RSS (`VmHWM`, reset
               just before the request). The twin runs the report's own statements (`ReportDao`'s, with the
               same period and seq bound) in one repeatable-read transaction and reads every row, then the
               period's chain in seq order, as the integrity section reads it; the service also hashes each
               event again, lays out and writes the PDF. Ratio = twin seconds ÷ report seconds. The step
               fails if the report fails or the service logs an `OutOfMemoryError`.

            8. **Stream delivery**: after the retention step, a `webhook` stream of tenant `bench` (every event
               the ingest steps stored) is created and timed until its cursor reaches the head, once with
               `format: native` and once with `ocsf`, to a receiver on loopback in the benchmark's process that
               reads each batch to the end and answers 200 (the service runs with
               `outbound.allowPrivateNetworks: true` for it). The delivery is `config.yml`'s: one stream, batches
               of 500, each read in one transaction, formatted, signed and posted before the cursor moves. The
               twin reads the same rows by seq in batches of 500 as PostgreSQL's own JSON (`to_jsonb`) and posts
               each batch to the same receiver. Ratio = service events/s ÷ twin events/s.

            9. **Shared rate limit** (`bench/run --only ratelimit` runs it alone): two services on a scratch
               database of their own, one with the rate limits on, shared through PostgreSQL (limits of
               100,000 requests/s for the key and the tenant, high enough never to refuse, so every request
               takes a token from both buckets), one with `rateLimit.enabled: false`. After both have warmed
               up in turns (four windows each), single events from 64 clients go to each for 15 s in turn,
               four rounds, the limited one first in the first and third and second in the others. Reported: the mean events/s of each side and the ratio, the service CPU per request on
               each side, and the writes of bucket rows (`rate_limit_buckets`' inserts and updates in
               `pg_stat_user_tables`, read 12 s after the last window so the backends have reported them) per
               1,000 requests: a request that settles its instance's block of tokens with the database costs a
               transaction, the others none.

            Targets are reported, not enforced by the exit code; the run fails on any error answer or
            miscounted row.
            """;
}
