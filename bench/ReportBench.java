package bench;

import static bench.Bench.JSON;
import static bench.Bench.step;
import static bench.Http.expect;
import static bench.Numbers.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.auditlog.event.Actor;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.Outcome;
import org.auditlog.event.Resource;
import org.auditlog.event.Source;
import org.auditlog.event.StoredEventMapper;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventWhere;
import org.auditlog.integrity.EventHasher;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Step 7: a compliance report over 30 days of one tenant's events, made by a service with a 256 MB
 * heap, beside the report's own statements run straight on PostgreSQL and read to the last row.
 *
 * <p>The report verifies the chain of its period, so this step loads a valid chain (hashes computed
 * here as the service computes them, rows sent with {@code COPY}) into a scratch database of its own,
 * and runs the service there with its scheduled jobs on: a report is made by a job. The step waits
 * for the service's first verification of the chain before it asks for the report, so that the two do
 * not share the measured time. Memory: peak RSS ({@code VmHWM}, reset just before the request) and
 * the JVM's heap, read from the admin port's {@code /metrics} every second while the report is made.
 */
final class ReportBench {
    static final String TENANT = "report";
    static final Duration PERIOD = Duration.ofDays(30);
    static final String HEAP = "256m";

    private ReportBench() {
    }

    static void run(Bench bench) throws Exception {
        int events = bench.sizes.reportEvents();
        String database = bench.database + "_report";
        Postgres postgres = Postgres.named(database);
        Instant to = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant from = to.minus(PERIOD);
        ObjectNode result = bench.result.putObject("report");
        result.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        result.put("events", events);
        result.put("periodDays", PERIOD.toDays());
        result.put("heap", "-Xmx" + HEAP);
        step("report: create scratch database " + database + " and load a chain of " + events + " events over 30 days");
        Postgres.ADMIN.execute("create database " + database);
        Service service = null;
        Sampler sampler = null;
        try {
            Path data = Files.createTempDirectory("bench-report");
            Map<String, String> env = Map.of("AUDIT_DB_URL", postgres.url(), "AUDIT_DB_USER", "postgres",
                    "AUDIT_DB_PASSWORD", "", "AUDIT_DATA_DIR", data.toString());
            Service.runJar(bench.jar, env, "db", "migrate", "config.yml");
            long t = System.nanoTime();
            try (Connection c = postgres.connect()) {
                DataSet.withoutIndexes(c, () -> loadChain(c, events, from, to));
            }
            result.put("loadSeconds", round((System.nanoTime() - t) / 1e9, 1));
            String key = Service.runJar(bench.jar, env, "create-key", "config.yml", "--tenant", TENANT, "--role", "auditor",
                    "--name", "bench-auditor");

            step("report: start the service (-Xmx" + HEAP + ", scheduled jobs on) and wait for its first verification of the chain");
            service = Service.start(bench.jar, env, data, HEAP, true);
            result.put("verifySeconds", round(awaitVerified(postgres, events, Duration.ofMinutes(20)), 1));
            result.put("peakRssBeforeReportMiB", service.rssMiB("VmHWM"));
            Files.writeString(Path.of("/proc/" + service.pid() + "/clear_refs"), "5"); // VmHWM from now on
            sampler = Sampler.start(service);

            step("report: POST /api/v1/reports over the 30 days, polled until done");
            t = System.nanoTime();
            Http.Reply posted = service.post(key, "/api/v1/reports", "{\"from\": \"" + from + "\", \"to\": \"" + to
                    + "\", \"title\": \"Benchmark report\"}");
            expect(posted, 202, "report request");
            String id = JSON.readTree(posted.body()).get("id").asText();
            JsonNode report = service.getJson(key, "/api/v1/reports/" + id);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (!List.of("done", "failed").contains(report.get("status").asText()) && System.nanoTime() < deadline) {
                Thread.sleep(250);
                report = service.getJson(key, "/api/v1/reports/" + id);
            }
            double serviceSeconds = (System.nanoTime() - t) / 1e9;
            sampler.finish();
            result.put("status", report.get("status").asText());
            result.put("serviceSeconds", round(serviceSeconds, 2));
            result.put("pageCount", report.path("pageCount").asInt());
            result.put("peakHeapUsedMiB", sampler.peakHeapUsed / (1 << 20));
            result.put("heapMaxMiB", sampler.heapMax / (1 << 20));
            result.put("heapSamples", sampler.samples);
            result.put("peakRssMiB", service.rssMiB("VmHWM"));
            long outOfMemory = service.logCount("OutOfMemoryError");
            result.put("outOfMemoryErrors", outOfMemory);
            if (!report.get("status").asText().equals("done") || outOfMemory > 0) {
                bench.failures.add("report: " + report.get("status").asText() + " (" + report.path("error").asText() + "), "
                        + outOfMemory + " OutOfMemoryError in the log");
                return;
            }
            Download file = download(service, key, id);
            result.put("fileBytes", file.bytes);
            if (!file.sha256.equals(report.get("sha256").asText()) || !file.pdf) {
                bench.failures.add("report: the download is not the PDF whose SHA-256 the report states");
            }
            // the manifest's row counts, section by section: the integrity section's is the chain entries it verified
            result.set("sections", service.getJson(key, "/api/v1/reports/" + id + "/manifest").path("sections"));
            long asOfSeq = report.get("asOfSeq").asLong();
            step("report: the report's statements straight on PostgreSQL, read to the last row");
            Raw raw = raw(postgres, from, to, asOfSeq);
            result.put("rawSeconds", round(raw.seconds, 2));
            result.put("rawChainReadSeconds", round(raw.chainSeconds, 2));
            result.put("rawRows", raw.rows);
            result.put("ratio", round(raw.seconds / serviceSeconds, 2));
        } finally {
            if (sampler != null) {
                sampler.finish();
            }
            if (service != null) {
                service.stop();
            }
            Postgres.ADMIN.execute("drop database if exists " + database + " with (force)");
        }
    }

    /**
     * {@code events} events of {@link #TENANT} spread evenly over the period, chained from seq 1 as the
     * service chains them, sent with {@code COPY}; then the tenant's head. The mix: 0.5% admin events
     * (the privileged list), 30% logins of which one in twelve fails or is denied, 30% reads and exports
     * (the data-access list, by 2,000 actors), the rest changes to records.
     */
    static void loadChain(Connection c, int events, Instant from, Instant to) throws Exception {
        EventHasher hasher = new EventHasher(Jackson.newObjectMapper());
        var mapper = Jackson.newObjectMapper();
        long stepMillis = Duration.between(from, to).toMillis() / events;
        byte[] previous = EventHasher.GENESIS;
        HexFormat hex = HexFormat.of();
        try (var partitions = c.prepareStatement("select count(audit_events_partition_for(t, 'month')) "
                + "from generate_series(?::timestamptz, ?::timestamptz, interval '1 day') t")) {
            partitions.setObject(1, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
            partitions.setObject(2, java.time.OffsetDateTime.ofInstant(to.plusSeconds(86_400), java.time.ZoneOffset.UTC));
            partitions.execute();
        }
        CopyIn copy = ((PGConnection) c).getCopyAPI().copyIn("copy audit_events (tenant, seq, id, occurred_at, received_at, "
                + "category, action, outcome, actor_id, actor_type, actor_name, resource_type, resource_id, source_ip, "
                + "user_agent, request_id, metadata, prev_hash, hash) from stdin with (format csv)");
        try {
            StringBuilder rows = new StringBuilder(1 << 20);
            for (long seq = 1; seq <= events; seq++) {
                Instant occurred = from.plusMillis(seq * stepMillis - stepMillis / 2);
                Instant received = occurred.plusMillis(150);
                int kind = (int) (seq % 200);
                String category;
                String action;
                String resourceType;
                String outcome = "success";
                String metadata;
                int actor = (int) ((seq * 0x9E3779B97F4A7C15L >>> 40) % 2000); // mixed: not tied to the kind of event
                if (kind == 0) {
                    category = "admin";
                    action = new String[] {"api_key.created", "role.granted", "user.disabled", "retention.policy_changed"}[(int) (seq / 200 % 4)];
                    resourceType = "setting";
                    actor = (int) (seq / 200 % 20); // a few administrators
                    metadata = "{\"ticket\": \"CHG-" + seq / 200 + "\"}";
                } else if (kind < 61) {
                    category = "authentication";
                    action = "user.login";
                    resourceType = "session";
                    outcome = seq % 12 == 5 ? "failure" : seq % 12 == 7 ? "denied" : "success";
                    metadata = "{\"method\": \"" + (seq % 3 == 0 ? "sso" : "password") + "\"}";
                } else if (kind < 121) {
                    category = "data_access";
                    boolean export = kind % 10 == 0;
                    resourceType = kind % 2 == 0 ? "customer" : "invoice";
                    action = resourceType + (export ? ".export" : ".read");
                    metadata = "{\"rowCount\": " + (export ? 100 + seq % 5000 : 1 + seq % 20) + "}";
                } else {
                    category = "change";
                    resourceType = kind % 3 == 0 ? "customer" : "invoice";
                    action = resourceType + ".updated";
                    metadata = "{\"fields\": " + (1 + seq % 5) + "}";
                }
                String actorId = "user-" + actor;
                String actorName = "User " + actor;
                String resourceId = resourceType + "-" + seq % 50_000;
                String ip = "10." + actor % 250 + "." + (seq % 4) + "." + (1 + actor % 200);
                String requestId = "req-" + seq;
                String id = UUID.randomUUID().toString();
                AuditEvent event = new AuditEvent(id, TENANT, seq, occurred, received, category, action,
                        Outcome.fromWire(outcome).orElseThrow(), new Actor(actorId, "user", actorName, null),
                        new Resource(resourceType, resourceId, null), new Source(ip, "Mozilla/5.0 (bench)"), requestId, null,
                        null, (ObjectNode) mapper.readTree(metadata), null, previous, null);
                byte[] hash = hasher.hash(event);
                rows.append(TENANT).append(',').append(seq).append(',').append(id).append(',').append(occurred).append(',')
                        .append(received).append(',').append(category).append(',').append(action).append(',').append(outcome)
                        .append(',').append(actorId).append(",user,").append(actorName).append(',').append(resourceType)
                        .append(',').append(resourceId).append(',').append(ip).append(",Mozilla/5.0 (bench),").append(requestId)
                        .append(",\"").append(metadata.replace("\"", "\"\"")).append("\",\\x").append(hex.formatHex(previous))
                        .append(",\\x").append(hex.formatHex(hash)).append('\n');
                previous = hash;
                if (rows.length() > (1 << 20) - 4096 || seq == events) {
                    byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    rows.setLength(0);
                }
            }
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
        try (var s = c.prepareStatement("insert into chain_heads (tenant, last_seq, last_hash) values (?, ?, ?)")) {
            s.setString(1, TENANT);
            s.setLong(2, events);
            s.setBytes(3, previous);
            s.executeUpdate();
        }
    }

    /** Seconds until the service's verification has walked the loaded chain; fails if it found it broken. */
    private static double awaitVerified(Postgres postgres, long events, Duration limit) throws Exception {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = postgres.connect(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select verified_seq, ok, reason from verification_state where tenant = '"
                         + TENANT + "'")) {
                if (rs.next()) {
                    if (!rs.getBoolean(2)) {
                        throw new IllegalStateException("the service found the loaded chain broken: " + rs.getString(3));
                    }
                    if (rs.getLong(1) >= events) {
                        return (System.nanoTime() - start) / 1e9;
                    }
                }
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service did not verify the loaded chain within " + limit);
    }

    /** The heap, from the admin port's metrics, every second. */
    private static final class Sampler extends Thread {
        private final Service service;
        private final AtomicBoolean running = new AtomicBoolean(true);
        volatile long peakHeapUsed;
        volatile long heapMax;
        volatile int samples;

        private Sampler(Service service) {
            this.service = service;
            setDaemon(true);
        }

        static Sampler start(Service service) {
            Sampler sampler = new Sampler(service);
            sampler.start();
            return sampler;
        }

        @Override
        public void run() {
            while (running.get()) {
                try {
                    Http.Reply reply = Http.send("GET", service.adminBase() + "/metrics", null, null, Duration.ofSeconds(5));
                    JsonNode gauges = JSON.readTree(reply.body()).path("gauges");
                    peakHeapUsed = Math.max(peakHeapUsed, gauges.path("jvm.memory.heap.used").path("value").asLong());
                    heapMax = gauges.path("jvm.memory.heap.max").path("value").asLong();
                    samples++;
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // a sample missed; the next one comes in a second
                }
            }
        }

        void finish() throws InterruptedException {
            running.set(false);
            interrupt();
            join(10_000);
        }
    }

    private record Download(long bytes, String sha256, boolean pdf) {
    }

    private static Download download(Service service, String key, String id) throws Exception {
        HttpURLConnection reply = Http.open("GET", service.base() + "/api/v1/reports/" + id + "/download", key,
                Duration.ofMinutes(5));
        if (reply.getResponseCode() != 200) {
            throw new IllegalStateException("report download answered " + reply.getResponseCode());
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        byte[] head = new byte[0];
        try (InputStream in = reply.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (bytes == 0) {
                    head = java.util.Arrays.copyOf(buffer, Math.min(n, 5));
                }
                digest.update(buffer, 0, n);
                bytes += n;
            }
        }
        return new Download(bytes, HexFormat.of().formatHex(digest.digest()),
                new String(head, StandardCharsets.US_ASCII).equals("%PDF-"));
    }

    private record Raw(double seconds, double chainSeconds, long rows) {
    }

    /**
     * The report's statements (ReportDao's, read from the jar so they stay the service's), bound to the
     * same period and seq bound, in one repeatable-read transaction as the report runs them, each read to
     * the last column of the last row; then the period's chain entries in seq order, as the report's
     * integrity section reads them (the service also hashes each one again).
     */
    private static Raw raw(Postgres postgres, Instant from, Instant to, long asOfSeq) throws Exception {
        Class<?> dao = Class.forName("org.auditlog.report.ReportDao");
        Map<String, String> statements = new LinkedHashMap<>();
        for (String name : List.of("TOTALS", "DAILY", "REFUSED_TOTAL", "REFUSED_BY_ACTOR", "REFUSED_BY_IP",
                "PRIVILEGED_EVENTS", "DATA_ACCESS_BY_ACTOR", "SEQ_RANGE", "RUNS", "HOLDS", "ALERTS")) {
            var field = dao.getField(name);
            field.setAccessible(true);
            statements.put(name, (String) field.get(null));
        }
        EventWhere where = EventWhere.of(TENANT, EventFilter.none().within(from, to)).atMostSeq(asOfSeq);
        Jdbi jdbi = Jdbi.create(postgres.url() + "?options=-c%20plan_cache_mode%3Dforce_custom_plan", "postgres", "");
        long start = System.nanoTime();
        long[] chainNanos = new long[1];
        long rows = jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            long read = 0;
            long first = 0;
            long last = 0;
            for (var statement : statements.entrySet()) {
                var query = handle.createQuery(statement.getValue()).setFetchSize(1000);
                if (statement.getValue().contains("<where>")) {
                    query.define("where", where.sql()).bindMap(where.parameters());
                } else {
                    query.bind("tenant", TENANT).bind("from", from).bind("to", to);
                }
                List<long[]> seqs = new ArrayList<>();
                read += query.map((rs, ctx) -> {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        rs.getString(i);
                    }
                    if (statement.getKey().equals("SEQ_RANGE")) {
                        seqs.add(new long[] {rs.getLong(2), rs.getLong(3)});
                    }
                    return 1;
                }).stream().count();
                if (!seqs.isEmpty()) {
                    first = seqs.get(0)[0];
                    last = seqs.get(0)[1];
                }
            }
            long chainStart = System.nanoTime();
            read += handle.createQuery("select " + StoredEventMapper.COLUMNS + " from audit_events "
                            + "where tenant = :tenant and seq between :first and :last order by seq")
                    .bind("tenant", TENANT).bind("first", first).bind("last", last).setFetchSize(1000)
                    .map((rs, ctx) -> {
                        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                            rs.getString(i);
                        }
                        return 1;
                    }).stream().count();
            chainNanos[0] = System.nanoTime() - chainStart;
            return read;
        });
        return new Raw((System.nanoTime() - start) / 1e9, chainNanos[0] / 1e9, rows);
    }
}
