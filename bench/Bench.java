import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.auditlog.event.StoredEventMapper;
import org.auditlog.trail.AuditTrail;
import org.auditlog.query.MetadataWindows;
import org.postgresql.PGConnection;

/**
 * The benchmark behind docs/benchmarks.md: every figure of the service measured beside its raw
 * PostgreSQL twin in the same run, on a scratch database of the PostgreSQL at 127.0.0.1:5432.
 *
 * <p>Run it with {@code bench/run [--quick] [--out DIR]}; {@code bench/run --report} only rewrites
 * docs/benchmarks.md from bench/results/bench.json (after editing bench/findings.md). The full run writes docs/benchmarks.md
 * and bench/results/bench.json; {@code --quick} (small sizes, part of CI) writes to target/bench
 * unless {@code --out} says otherwise. It exits non-zero when a step answered an error or lost
 * count of rows; targets are reported, not enforced (the machine is shared).
 */
public final class Bench {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    static final Instant LOAD_BASE = Instant.parse("2021-01-01T00:00:00Z");
    static {
        // the JDK's blocking HTTP/1.1 client (HttpURLConnection) keeps this many idle connections per
        // server for reuse, 5 unless told: the 64 single-event clients each keep theirs
        System.setProperty("http.maxConnections", "128");
    }

    /** How big each step is. */
    record Sizes(String mode, int queryRows, int batchEvents, int singleSeconds, int queryIterations,
                 int exportRows, int retentionRows, int retentionIngestSeconds, int warmUpSeconds,
                 int singleWarmUpSeconds) {
    }

    static final Sizes FULL = new Sizes("full", 5_000_000, 200_000, 20, 300, 1_000_000, 1_000_000, 10, 45, 300);
    static final Sizes QUICK = new Sizes("quick", 100_000, 20_000, 4, 40, 50_000, 50_000, 3, 6, 2);

    final Sizes sizes;
    final Path jar;
    final String database = "bench_" + ProcessHandle.current().pid();
    final String url = "jdbc:postgresql://127.0.0.1:5432/" + database;
    final ObjectNode result = JSON.createObjectNode();
    final List<String> failures = new ArrayList<>();
    Service service;

    Bench(Sizes sizes, Path jar) {
        this.sizes = sizes;
        this.jar = jar;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--report")) { // rewrite docs/benchmarks.md from the last full result
            Files.writeString(Path.of("docs/benchmarks.md"),
                    Report.markdown(JSON.readTree(Path.of("bench/results/bench.json").toFile()), false));
            return;
        }
        boolean quick = List.of(args).contains("--quick");
        int out = List.of(args).indexOf("--out");
        Path dir = out >= 0 ? Path.of(args[out + 1]) : quick ? Path.of("target/bench") : null;
        Bench bench = new Bench(quick ? QUICK : FULL, Path.of("target/audit-service.jar"));
        long start = System.nanoTime();
        try {
            bench.run();
        } finally {
            bench.cleanUp();
        }
        bench.result.put("totalSeconds", round((System.nanoTime() - start) / 1e9, 1));
        Path json = dir == null ? Path.of("bench/results/bench.json") : dir.resolve("bench.json");
        Path markdown = dir == null ? Path.of("docs/benchmarks.md") : dir.resolve("benchmarks.md");
        Files.createDirectories(json.getParent());
        Files.createDirectories(markdown.getParent());
        bench.result.set("failures", JSON.valueToTree(bench.failures));
        JSON.writeValue(json.toFile(), bench.result);
        Files.writeString(markdown, Report.markdown(bench.result, quick));
        System.out.println(Report.table(bench.result));
        System.out.println("wrote " + json + " and " + markdown);
        if (!bench.failures.isEmpty()) {
            System.err.println("FAILED: " + String.join("; ", bench.failures));
            System.exit(1);
        }
    }

    void run() throws Exception {
        result.put("mode", sizes.mode());
        result.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        result.set("machine", machine());
        step("create scratch database " + database);
        sql(ADMIN_URL, "create database " + database);
        Path data = Files.createTempDirectory("bench-data");
        Map<String, String> env = Map.of("AUDIT_DB_URL", url, "AUDIT_DB_USER", "postgres", "AUDIT_DB_PASSWORD", "",
                "AUDIT_DATA_DIR", data.toString());
        Service.runJar(jar, env, "db", "migrate", "config.yml");
        load();
        String ingestKey = Service.runJar(jar, env, "create-key", "config.yml", "--tenant", "bench", "--role", "ingest", "--name", "bench-ingest");
        List<String> tenants = List.of("bench-1", "bench-2", "bench-3", "bench-4");
        List<String> tenantKeys = new ArrayList<>();
        for (String tenant : tenants) {
            tenantKeys.add(Service.runJar(jar, env, "create-key", "config.yml", "--tenant", tenant, "--role", "ingest", "--name", "bench-ingest"));
        }
        String auditorKey = Service.runJar(jar, env, "create-key", "config.yml", "--tenant", "t0", "--role", "auditor", "--name", "bench-auditor");
        String retentionKey = Service.runJar(jar, env, "create-key", "config.yml", "--tenant", "r0", "--role", "admin", "--name", "bench-admin");

        step("start the service (-Xmx256m)");
        service = Service.start(jar, env, data);
        Thread.sleep(3000);
        ObjectNode footprint = result.putObject("footprint");
        footprint.put("startSeconds", round(service.startSeconds, 2));
        footprint.put("rssAtRestMiB", service.rssMiB("VmRSS"));

        warmUp(ingestKey, auditorKey);
        batchIngest("batchIngest", List.of(ingestKey), List.of("bench"), 0);
        batchIngest("batchIngestTenants", tenantKeys, tenants, 5_000_000_000L);
        singleIngest(ingestKey);
        queries(auditorKey);
        export(auditorKey);
        retention(retentionKey, ingestKey);

        footprint.put("rssAfterLoadMiB", service.rssMiB("VmRSS"));
        footprint.put("peakRssMiB", service.rssMiB("VmHWM"));
        footprint.put("heap", "-Xmx256m");
        footprint.put("outOfMemoryErrors", service.logCount("OutOfMemoryError"));
        if (footprint.get("outOfMemoryErrors").asInt() > 0) {
            failures.add("the service ran out of memory");
        }
    }

    // ---------------------------------------------------------------- loading

    /** Loads the query data set (t0..t9) and two tenants of expired events, indexes built after. */
    void load() throws Exception {
        step("load " + sizes.queryRows() + " events for the queries and 2 x " + sizes.retentionRows() + " expired events");
        long start = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            List<String[]> indexes = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select indexname, indexdef from pg_indexes where tablename = 'audit_events' "
                         + "and indexname <> 'audit_events_pk'")) {
                while (rs.next()) {
                    indexes.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            try (Statement s = c.createStatement()) {
                for (String[] index : indexes) {
                    s.execute("drop index " + index[0]);
                }
            }
            script(c, "bench/load-expired.sql", Map.of("rows", sizes.retentionRows(), "tenant", "r0"));
            script(c, "bench/load-expired.sql", Map.of("rows", sizes.retentionRows(), "tenant", "r1"));
            script(c, "bench/load-events.sql", Map.of("rows", sizes.queryRows()));
            try (Statement s = c.createStatement()) {
                s.execute("set maintenance_work_mem = '512MB'");
                for (String[] index : indexes) {
                    s.execute(index[1]);
                }
                // vacuumed as well as analyzed: otherwise autovacuum takes up the freshly loaded rows in
                // the middle of the measured steps, and the visibility map is empty
                s.execute("vacuum (analyze) audit_events");
            }
        }
        result.put("loadSeconds", round((System.nanoTime() - start) / 1e9, 1));
    }

    /** Runs a psql-style script: statements end with ";" at a line's end; :name and :'name' are replaced. */
    static void script(Connection c, String file, Map<String, Object> variables) throws Exception {
        String text = Files.readString(Path.of(file)).lines().filter(l -> !l.startsWith("--"))
                .reduce("", (a, b) -> a + b + "\n");
        for (var variable : variables.entrySet()) {
            text = text.replace(":'" + variable.getKey() + "'", "'" + variable.getValue() + "'")
                    .replaceAll("(?<!:):" + variable.getKey() + "\\b", String.valueOf(variable.getValue()));
        }
        try (Statement s = c.createStatement()) {
            for (String statement : text.split(";\\s*\n")) {
                if (!statement.isBlank()) {
                    s.execute(statement);
                }
            }
        }
    }

    // ---------------------------------------------------------------- 1. batch ingest

    /**
     * Batches from 4 clients beside raw COPY from 4 clients. {@code tenants} clients' keys: one tenant
     * (every batch extends the same chain, whose appends are serialized) or one tenant per client.
     */
    void batchIngest(String name, List<String> keys, List<String> tenants, long rawSeqStart) throws Exception {
        int clients = 4;
        int batch = 1000;
        int batches = sizes.batchEvents() / batch;
        step("batch ingest into " + tenants.size() + " tenant(s): " + batches + " batches of " + batch + " from "
                + clients + " clients, beside raw COPY");
        AtomicLong rawSeq = new AtomicLong(rawSeqStart);
        AtomicLong eventNo = new AtomicLong(rawSeqStart);
        AtomicLong client = new AtomicLong();
        String inTenants = "tenant in ('" + String.join("', '", tenants) + "')";
        double rawSeconds = 0;
        double serviceSeconds = 0;
        CpuUse rawCpu = new CpuUse(service.pid());
        CpuUse serviceCpu = new CpuUse(service.pid());
        long before = count("select count(*) from audit_events where " + inTenants);
        long rawBefore = count("select count(*) from audit_events where tenant = 'bench-raw'");
        // two rounds each, alternating, so that drift of a shared machine falls on both sides
        for (int round = 0; round < 2; round++) {
            int share = batches / 2;
            rawSeconds += rawCpu.measure(() -> timed(clients, share, () -> {
                Connection c = DriverManager.getConnection(url, "postgres", "");
                return () -> {
                    StringBuilder csv = new StringBuilder(batch * 400);
                    for (int i = 0; i < batch; i++) {
                        Events.csvRow(csv, "bench-raw", rawSeq.incrementAndGet(), eventNo.incrementAndGet());
                    }
                    ((PGConnection) c).getCopyAPI().copyIn("copy audit_events (" + Events.RAW_COLUMNS + ") from stdin with (format csv)",
                            new StringReader(csv.toString()));
                };
            }));
            serviceSeconds += serviceCpu.measure(() -> timed(clients, share,
                    () -> serviceBatch(keys.get((int) (client.getAndIncrement() % keys.size())), eventNo, batch)));
        }
        long events = (long) (batches / 2) * 2 * batch;
        long stored = count("select count(*) from audit_events where " + inTenants) - before;
        long rawStored = count("select count(*) from audit_events where tenant = 'bench-raw'") - rawBefore;
        if (stored != events || rawStored != events) {
            failures.add(name + " stored " + stored + " (service) and " + rawStored + " (raw) of " + events);
        }
        ObjectNode step = result.putObject(name);
        step.put("events", events);
        step.put("clients", clients);
        step.put("tenants", tenants.size());
        step.put("batchSize", batch);
        step.put("serviceStored", stored);
        step.put("serviceEventsPerSecond", Math.round(events / serviceSeconds));
        step.put("rawCopyEventsPerSecond", Math.round(events / rawSeconds));
        step.put("ratio", round(rawSeconds / serviceSeconds, 2));
        step.put("target", 0.6);
        step.set("serviceCpu", serviceCpu.json(events));
        step.set("rawCpu", rawCpu.json(events));
    }

    /** Posts one batch of {@code size} events to the tenant of {@code key}. */
    Task serviceBatch(String key, AtomicLong eventNo, int size) {
        return () -> {
            StringBuilder body = new StringBuilder(size * 450).append("{\"events\":[");
            for (int i = 0; i < size; i++) {
                body.append(i == 0 ? "" : ",").append(Events.json(eventNo.incrementAndGet()));
            }
            expect(post(key, "/api/v1/events/batch", body.append("]}").toString()), 201, "batch ingest");
        };
    }

    /**
     * A long-running service has compiled its hot paths; one just started has not. Single events and
     * queries for a while, then batches for a third of that, not measured, so that the steps measure
     * the service warm (without the batches, the first round of the batch step ran a cold batch path:
     * 0.53 to 0.58 of COPY, against 0.72 to 0.93 in the rounds after it).
     */
    void warmUp(String ingestKey, String auditorKey) throws Exception {
        double seconds = sizes.warmUpSeconds();
        step("warm-up: " + seconds + " s of single events and queries, " + seconds / 3 + " s of batches, not measured");
        AtomicLong eventNo = new AtomicLong(30_000_000_000L);
        Load ingest = Load.run(64, seconds, serviceSingle(ingestKey, eventNo));
        List<Callable<Query>> kinds = queryKinds(auditorKey);
        AtomicLong n = new AtomicLong();
        Load reads = Load.run(2, seconds / 2, () -> () -> getJson(auditorKey,
                kinds.get((int) (n.getAndIncrement() % kinds.size())).call().path()));
        Load batches = Load.run(4, seconds / 3, () -> serviceBatch(ingestKey, eventNo, 1000));
        if (ingest.errors() + reads.errors() + batches.errors() > 0) {
            failures.add("warm-up answered errors");
        }
        result.putObject("warmUp").put("seconds", seconds).put("events", ingest.done()).put("queries", reads.done())
                .put("batches", batches.done());
    }

    /** Runs {@code tasks} tasks on {@code clients} threads, each with its own worker state; answers seconds. */
    static double timed(int clients, int tasks, Callable<Task> worker) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            AtomicLong left = new AtomicLong(tasks);
            List<Future<?>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> {
                    Task task = worker.call();
                    while (left.getAndDecrement() > 0) {
                        task.run();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    interface Task {
        void run() throws Exception;
    }

    // ---------------------------------------------------------------- 2. single ingest

    void singleIngest(String key) throws Exception {
        step("single-event ingest: 64 clients for " + sizes.singleSeconds() + " s, beside raw INSERTs from 8 clients");
        AtomicLong eventNo = new AtomicLong(10_000_000_000L);
        AtomicLong rawSeq = new AtomicLong(1_000_000_000L);
        // warm-up until the rate settles: on two cores shared with 64 clients and PostgreSQL, the JIT
        // takes minutes to compile the request path: alone on this machine, a service took half its
        // warm rate in its first 40 s under load, and 1.4 times its warm CPU per event in the next 30 s
        ArrayNode warmUp = singleWarmUp(key, eventNo);
        CpuUse rawCpu = new CpuUse(service.pid());
        CpuUse httpCpu = new CpuUse(service.pid());
        Load raw = rawCpu.measure(() -> Load.run(8, sizes.singleSeconds(), rawSingle(rawSeq, eventNo)));
        Load http = httpCpu.measure(() -> Load.run(64, sizes.singleSeconds(), serviceSingle(key, eventNo)));
        if (http.errors() + raw.errors() > 0) {
            failures.add("single ingest: " + http.errors() + " service errors, " + raw.errors() + " raw errors");
        }
        ObjectNode step = result.putObject("singleIngest");
        step.set("serviceMetrics", ingestMetrics());
        step.put("seconds", sizes.singleSeconds());
        step.put("serviceClients", 64);
        step.put("rawClients", 8);
        step.set("service", http.json());
        step.set("raw", raw.json());
        step.set("serviceCpu", httpCpu.json(http.done()));
        step.set("rawCpu", rawCpu.json(raw.done()));
        step.put("ratio", round(http.perSecond() / raw.perSecond(), 2));
        step.put("target", 1.5);
        step.set("warmUpEventsPerSecond", warmUp);
    }

    /**
     * Single events from 64 clients in windows of 10 s (one window in --quick) until the rate has not
     * set a new high by more than 3% for three windows in a row, or for at most
     * {@code singleWarmUpSeconds}. Answers each window's events per second.
     */
    ArrayNode singleWarmUp(String key, AtomicLong eventNo) throws Exception {
        ArrayNode rates = JSON.createArrayNode();
        int window = Math.min(10, sizes.singleWarmUpSeconds());
        double best = 0;
        int stale = 0;
        for (int spent = 0; spent < sizes.singleWarmUpSeconds() && stale < 3; spent += window) {
            double rate = Load.run(64, window, serviceSingle(key, eventNo)).perSecond();
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
    ObjectNode ingestMetrics() throws IOException {
        JsonNode metrics = JSON.readTree(send("GET", service.adminBase + "/metrics", null, null, Duration.ofSeconds(60)).body());
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

    Supplier<Task> serviceSingle(String key, AtomicLong eventNo) {
        return () -> () -> expect(post(key, "/api/v1/events", Events.json(eventNo.incrementAndGet())), 201, "single ingest");
    }

    Supplier<Task> rawSingle(AtomicLong rawSeq, AtomicLong eventNo) {
        return () -> {
            try {
                Connection c = DriverManager.getConnection(url, "postgres", "");
                PreparedStatement insert = c.prepareStatement("insert into audit_events (" + Events.RAW_COLUMNS
                        + ") values (?, ?, ?, now(), now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?)");
                return () -> Events.bind(insert, "single-raw", rawSeq.incrementAndGet(), eventNo.incrementAndGet()).executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    /** Clients that each repeat a task for a while, with every latency kept. */
    record Load(long done, long errors, double seconds, long[] latencies) {
        static Load run(int clients, double seconds, Supplier<Task> worker) throws Exception {
            AtomicBoolean running = new AtomicBoolean(true);
            Thread timer = new Thread(() -> {
                try {
                    Thread.sleep((long) (seconds * 1000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.set(false);
            });
            timer.start();
            return until(clients, running, worker);
        }

        /** Runs until {@code running} turns false. */
        static Load until(int clients, AtomicBoolean running, Supplier<Task> worker) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            AtomicLong errors = new AtomicLong();
            List<Future<long[]>> futures = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> {
                    Task task = worker.get();
                    long[] times = new long[1024];
                    int n = 0;
                    while (running.get()) {
                        long t = System.nanoTime();
                        try {
                            task.run();
                        } catch (Exception e) {
                            if (errors.incrementAndGet() <= 3) {
                                System.err.println("  " + e);
                            }
                            continue;
                        }
                        if (n == times.length) {
                            times = Arrays.copyOf(times, n * 2);
                        }
                        times[n++] = System.nanoTime() - t;
                    }
                    return Arrays.copyOf(times, n);
                }));
            }
            long[] all = new long[0];
            for (Future<long[]> f : futures) {
                long[] times = f.get();
                int at = all.length;
                all = Arrays.copyOf(all, at + times.length);
                System.arraycopy(times, 0, all, at, times.length);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            pool.shutdownNow();
            Arrays.sort(all);
            return new Load(all.length, errors.get(), elapsed, all);
        }

        double perSecond() {
            return done / seconds;
        }

        ObjectNode json() {
            ObjectNode node = JSON.createObjectNode();
            node.put("events", done);
            node.put("errors", errors);
            node.put("eventsPerSecond", Math.round(perSecond()));
            node.put("p50Ms", millis(percentile(latencies, 0.50)));
            node.put("p99Ms", millis(percentile(latencies, 0.99)));
            return node;
        }
    }

    /**
     * Where the two cores went while one side of a step ran: CPU time of the service, of this load
     * generator, and of the rest of the machine (PostgreSQL, mostly), and the share left idle, from
     * /proc in clock ticks; and the service's CPU by its threads' names. Summed over each run of a
     * side, so a step's alternating rounds add up.
     */
    static final class CpuUse {
        /** The service's threads, by the start of their names (/proc shows the first 15 characters). */
        static final Map<String, List<String>> THREADS = new LinkedHashMap<>();
        static {
            THREADS.put("requests", List.of("dw-")); // Jetty's pool: HTTP, Jersey, and each request's own work
            THREADS.put("ingestLanes", List.of("event-appender"));
            THREADS.put("jit", List.of("C1 CompilerThre", "C2 CompilerThre"));
            THREADS.put("gc", List.of("GC Thread", "G1 ", "VM Thread"));
        }

        private final long servicePid;
        private long service;
        private long client;
        private long busy;
        private long idle;
        private final Map<String, Long> byThreads = new LinkedHashMap<>();

        CpuUse(long servicePid) {
            this.servicePid = servicePid;
        }

        /** Runs {@code side} and adds what the machine spent meanwhile; answers what {@code side} answered. */
        <T> T measure(Callable<T> side) throws Exception {
            Map<Long, ThreadUse> threadsBefore = threads();
            long[] before = ticks();
            T answer = side.call();
            long[] after = ticks();
            Map<Long, ThreadUse> threadsAfter = threads();
            service += after[0] - before[0];
            client += after[1] - before[1];
            busy += after[2] - before[2];
            idle += after[3] - before[3];
            threadsAfter.forEach((tid, use) -> {
                if (use.group() != null) {
                    ThreadUse earlier = threadsBefore.get(tid);
                    byThreads.merge(use.group(), use.ticks() - (earlier == null ? 0 : earlier.ticks()), Long::sum);
                }
            });
            return answer;
        }

        /** Service, load generator, machine busy, machine idle. */
        private long[] ticks() throws IOException {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long all = 0;
            for (int i = 1; i < cpu.length; i++) {
                all += Long.parseLong(cpu[i]);
            }
            long idleTicks = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]); // idle and iowait
            return new long[] {processTicks(servicePid), processTicks(ProcessHandle.current().pid()), all - idleTicks, idleTicks};
        }

        private static long processTicks(long pid) throws IOException {
            return ticks(Files.readString(Path.of("/proc/" + pid + "/stat")));
        }

        /** A thread's group in {@link #THREADS} (null for none) and its CPU ticks so far. */
        record ThreadUse(String group, long ticks) {
        }

        /** Each of the service's threads now, by thread id. */
        private Map<Long, ThreadUse> threads() throws IOException {
            Map<Long, ThreadUse> threads = new HashMap<>();
            try (var tasks = Files.list(Path.of("/proc/" + servicePid + "/task"))) {
                for (Path task : tasks.toList()) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                        threads.put(Long.parseLong(task.getFileName().toString()), new ThreadUse(group(name), ticks(stat)));
                    } catch (IOException gone) {
                        // the thread ended while listed
                    }
                }
            }
            return threads;
        }

        private static String group(String threadName) {
            for (var group : THREADS.entrySet()) {
                if (group.getValue().stream().anyMatch(threadName::startsWith)) {
                    return group.getKey();
                }
            }
            return null;
        }

        private static long ticks(String stat) {
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime and stime
        }

        /**
         * Microseconds of CPU per event for each part, the machine's idle share, and the share of the
         * service's CPU each group of its threads took ("other": the rest, and threads that ended).
         */
        ObjectNode json(long events) {
            ObjectNode node = JSON.createObjectNode();
            long rest = busy - service - client;
            node.put("serviceMicrosPerEvent", Math.round(service * 10_000.0 / events));
            node.put("loadGeneratorMicrosPerEvent", Math.round(client * 10_000.0 / events));
            node.put("restOfMachineMicrosPerEvent", Math.round(rest * 10_000.0 / events));
            node.put("idlePercent", Math.round(100.0 * idle / Math.max(1, busy + idle)));
            if (service > 0) {
                ObjectNode threads = node.putObject("serviceThreadsPercent");
                long grouped = 0;
                for (String group : THREADS.keySet()) {
                    long ticks = byThreads.getOrDefault(group, 0L);
                    grouped += ticks;
                    threads.put(group, Math.round(100.0 * ticks / service));
                }
                threads.put("other", Math.round(100.0 * (service - grouped) / service));
            }
            return node;
        }
    }

    // ---------------------------------------------------------------- 3. queries

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
                 String plainSql) {
        Query(String name, String path, String sql, List<Object> parameters) {
            this(name, path, sql, parameters, null, null, null, null);
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
                    plainSql);
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
    List<Callable<Query>> queryKinds(String key) throws SQLException {
        Duration span = Duration.ofSeconds(31L * sizes.queryRows());
        String select = "select " + StoredEventMapper.COLUMNS + " from audit_events where tenant = 't0' and ";
        String orderBy = " order by occurred_at desc, seq desc";
        String order = orderBy + " limit 101";
        return List.of(
                () -> new Query("newest page of a tenant", "/api/v1/events",
                        select + "seq <= ?" + order, List.of(HEAD)),
                () -> {
                    Instant to = randomTime(span);
                    JsonNode first = getJson(key, "/api/v1/events?to=" + to);
                    JsonNode last = first.get("events").get(99);
                    Instant at = Instant.parse(last.get("occurredAt").asText());
                    // the cursor carries the first page's snapshot: the head as that page read it
                    long head = count("select last_seq from chain_heads where tenant = 't0'");
                    return new Query("next page by cursor",
                            "/api/v1/events?to=" + to + "&cursor=" + enc(first.get("nextCursor").asText()),
                            select + "occurred_at < ? and seq <= ? and (occurred_at, seq) < (?, ?)" + order,
                            List.of(ts(to), head, ts(at), last.get("seq").asLong()));
                },
                () -> {
                    Instant from = randomTime(span.minusDays(30));
                    String actor = "actor-" + 2 * ThreadLocalRandom.current().nextInt(2500);
                    return new Query("an actor over 30 days",
                            "/api/v1/events?actorId=" + actor + "&from=" + from + "&to=" + from.plus(Duration.ofDays(30)),
                            select + "occurred_at >= ? and occurred_at < ? and actor_id = ? and seq <= ?" + order,
                            List.of(ts(from), ts(from.plus(Duration.ofDays(30))), actor, HEAD));
                },
                () -> {
                    Instant from = randomTime(span.minusDays(1));
                    String prefix = "svc" + 2 * ThreadLocalRandom.current().nextInt(5) + ".";
                    return new Query("an action prefix over a day",
                            "/api/v1/events?action=" + prefix + "*&from=" + from + "&to=" + from.plus(Duration.ofDays(1)),
                            select + "occurred_at >= ? and occurred_at < ? and action >= ? and action < ? and seq <= ?" + order,
                            List.of(ts(from), ts(from.plus(Duration.ofDays(1))), prefix,
                                    prefix.substring(0, prefix.length() - 1) + "/", HEAD));
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
                            select + "seq <= ? and metadata @> cast(? as jsonb)" + order);
                });
    }

    void queries(String key) throws Exception {
        step("queries over " + sizes.queryRows() + " events: five typical ones, " + sizes.queryIterations() + " times each");
        long t0Events = count("select count(*) from audit_events where tenant = 't0'");
        ArrayNode steps = result.putObject("queries").put("events", count("select count(*) from audit_events"))
                .put("tenantEvents", t0Events).put("iterations", sizes.queryIterations()).putArray("steps");
        List<Callable<Query>> kinds = queryKinds(key);
        // the raw client plans like the service does (config.yml: plan_cache_mode=force_custom_plan)
        try (Connection c = DriverManager.getConnection(url + "?options=-c%20plan_cache_mode%3Dforce_custom_plan", "postgres", "")) {
            for (Callable<Query> kind : kinds) {
                // warm-up of both clients and the service (plans, caches, JIT): on two cores C2 was still
                // compiling a page's path 6,000 requests into a fresh service, a third of the CPU
                for (int i = 0; i < 2 * sizes.queryIterations(); i++) {
                    Query q = kind.call();
                    rawQuery(c, q);
                    getJson(key, q.path());
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
                    int httpRows = getJson(key, q.path()).get("events").size();
                    http[i] = System.nanoTime() - t;
                    if (httpRows != Math.min(rawRows, 100)) {
                        failures.add(name + ": the service answered " + httpRows + " rows, the SQL " + rawRows);
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
    static String explain(Connection c, Query q) throws SQLException {
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

    static int rawQuery(Connection c, Query q) throws SQLException {
        return rawQuery(c, q, new ArrayList<>());
    }

    /** Runs the query's SQL as the service does, each statement that ran added to {@code ran}; answers the rows. */
    static int rawQuery(Connection c, Query query, List<Ran> ran) throws SQLException {
        Query q = query.atHead(c, ran);
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
        return found == page ? found : rows(c, new Ran(q.plainSql(), q.parameters()), ran);
    }

    static int rows(Connection c, Ran statement, List<Ran> ran) throws SQLException {
        return rows(c, statement, ran, new Object[2]);
    }

    /** Runs a statement and reads every column of every row; answers the rows, the last one's time and seq in {@code last}. */
    static int rows(Connection c, Ran statement, List<Ran> ran, Object[] last) throws SQLException {
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

    static PreparedStatement bind(PreparedStatement s, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            s.setObject(i + 1, parameters.get(i));
        }
        return s;
    }

    Instant randomTime(Duration span) {
        return LOAD_BASE.plusSeconds(ThreadLocalRandom.current().nextLong(Duration.ofDays(2).toSeconds(), span.toSeconds()));
    }

    // ---------------------------------------------------------------- 4. export

    void export(String key) throws Exception {
        Instant from = LOAD_BASE;
        Instant to = LOAD_BASE.plusSeconds(62L * sizes.exportRows() + 1);
        long expected = count("select count(*) from audit_events where tenant = 't0' and occurred_at >= '" + from
                + "' and occurred_at < '" + to + "'");
        step("CSV export of " + expected + " events, beside COPY ... TO STDOUT WITH CSV");
        String columns = "id, seq, occurred_at, received_at, tenant, category, action, outcome, actor_type, actor_id, "
                + "actor_name, resource_type, resource_id, resource_name, source_ip, user_agent, request_id, reason, "
                + "metadata, changes, encode(prev_hash, 'hex'), encode(hash, 'hex')";
        Counter raw = new Counter();
        long t = System.nanoTime();
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            ((PGConnection) c).getCopyAPI().copyOut("copy (select " + columns + " from audit_events where tenant = 't0' "
                    + "and occurred_at >= '" + from + "' and occurred_at < '" + to + "' order by seq) to stdout with csv header", raw);
        }
        double rawSeconds = (System.nanoTime() - t) / 1e9;
        Counter http = new Counter();
        t = System.nanoTime();
        HttpURLConnection reply = open("GET", service.base + "/api/v1/exports/stream?format=csv&from=" + from + "&to=" + to,
                key, Duration.ofMinutes(15));
        try (InputStream in = reply.getResponseCode() == 200 ? reply.getInputStream() : reply.getErrorStream()) {
            in.transferTo(http);
        }
        double serviceSeconds = (System.nanoTime() - t) / 1e9;
        if (reply.getResponseCode() != 200 || http.lines - 1 != expected || raw.lines - 1 != expected) {
            failures.add("export: status " + reply.getResponseCode() + ", " + (http.lines - 1) + " rows (service) and "
                    + (raw.lines - 1) + " (raw) of " + expected);
        }
        ObjectNode step = result.putObject("export");
        step.put("rows", expected);
        step.put("heap", "-Xmx256m");
        step.put("serviceBytes", http.bytes);
        step.put("rawBytes", raw.bytes);
        step.put("serviceSeconds", round(serviceSeconds, 2));
        step.put("rawSeconds", round(rawSeconds, 2));
        step.put("serviceRowsPerSecond", Math.round(expected / serviceSeconds));
        step.put("rawRowsPerSecond", Math.round(expected / rawSeconds));
        step.put("ratio", round(rawSeconds / serviceSeconds, 2));
        step.put("target", 0.5);
    }

    /** Counts bytes and lines of what it is given, and keeps none of it. */
    static final class Counter extends OutputStream {
        long bytes;
        long lines;

        @Override
        public void write(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
        }
    }

    // ---------------------------------------------------------------- 5. retention

    void retention(String adminKey, String ingestKey) throws Exception {
        step("retention of " + sizes.retentionRows() + " expired events, with 64 clients ingesting, beside a raw DELETE");
        AtomicLong eventNo = new AtomicLong(20_000_000_000L);
        var hold = post(adminKey, "/api/v1/retention/holds",
                "{\"name\": \"bench\", \"reason\": \"kept by the benchmark\", \"filters\": {\"actorId\": \"actor-7\"}}");
        expect(hold, 201, "legal hold");
        long held = count("select count(*) from audit_events where tenant = 'r0' and actor_id = 'actor-7'");
        Load alone = Load.run(64, sizes.retentionIngestSeconds(), serviceSingle(ingestKey, eventNo));

        double[] rawSeconds = new double[1];
        long[] rawDeleted = new long[1];
        Load duringRaw = beside(serviceSingle(ingestKey, eventNo), () -> {
            long t = System.nanoTime();
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
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
        Load duringService = beside(serviceSingle(ingestKey, eventNo), () -> {
            long t = System.nanoTime();
            Reply reply = send("POST", service.base + "/api/v1/retention/runs?dryRun=false", adminKey, "",
                    Duration.ofMinutes(15));
            serviceSeconds[0] = (System.nanoTime() - t) / 1e9;
            expect(reply, 200, "retention run");
            run[0] = JSON.readTree(reply.body());
        });
        long left = count("select count(*) from audit_events where tenant = 'r0' and occurred_at < '2020-01-01'");
        long expectedDeleted = sizes.retentionRows() - held;
        if (run[0].get("deleted").asLong() != expectedDeleted || left != held || rawDeleted[0] != expectedDeleted) {
            failures.add("retention deleted " + run[0].get("deleted") + " (service) and " + rawDeleted[0] + " (raw) of "
                    + expectedDeleted + "; " + left + " left, " + held + " held");
        }
        if (alone.errors() + duringRaw.errors() + duringService.errors() > 0) {
            failures.add("ingest beside retention answered errors");
        }
        ObjectNode step = result.putObject("retention");
        step.put("expiredEvents", sizes.retentionRows());
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
    static Load beside(Supplier<Task> ingest, Task work) throws Exception {
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

    // ---------------------------------------------------------------- HTTP, SQL, numbers

    /** An answer: its status and its body. */
    record Reply(int statusCode, String body) {
    }

    /**
     * Sends a request with the JDK's blocking HTTP/1.1 client, on a kept-alive connection of the calling
     * thread's. Not java.net.http's HttpClient: its hand-offs between threads added about 1.6 ms to the
     * p95 of a query here (3.16 against 1.54 ms, same service), which is the client's time, not the service's.
     */
    static Reply send(String method, String url, String key, String body, Duration timeout) throws IOException {
        HttpURLConnection c = open(method, url, key, timeout);
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) { // read to the end: the connection is reused
            return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static HttpURLConnection open(String method, String url, String key, Duration timeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout((int) timeout.toMillis());
        if (key != null) {
            c.setRequestProperty("Authorization", "Bearer " + key);
        }
        return c;
    }

    Reply post(String key, String path, String body) throws IOException {
        return send("POST", service.base + path, key, body, Duration.ofSeconds(60));
    }

    JsonNode getJson(String key, String path) throws IOException {
        Reply reply = send("GET", service.base + path, key, null, Duration.ofSeconds(60));
        expect(reply, 200, "GET " + path);
        return JSON.readTree(reply.body());
    }

    static void expect(Reply reply, int status, String what) {
        if (reply.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + reply.statusCode() + ": " + reply.body());
        }
    }

    long count(String query) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static void sql(String jdbcUrl, String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    void cleanUp() {
        if (service != null) {
            service.stop();
        }
        try {
            sql(ADMIN_URL, "drop database if exists " + database + " with (force)");
        } catch (SQLException e) {
            System.err.println("could not drop " + database + ": " + e.getMessage());
        }
    }

    static ObjectNode machine() throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("cores", Runtime.getRuntime().availableProcessors());
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        node.put("cpu", cpu);
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\D+", "");
        node.put("memoryGiB", Math.round(Long.parseLong(mem) / 1024.0 / 1024.0));
        node.put("java", System.getProperty("java.version"));
        try (Connection c = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show server_version")) {
            rs.next();
            node.put("postgresql", rs.getString(1));
        } catch (SQLException e) {
            node.put("postgresql", "unknown");
        }
        return node;
    }

    static void step(String what) {
        System.out.printf("[%s] %s%n", Instant.now().toString().substring(11, 19), what);
    }

    static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static double millis(long nanos) {
        return round(nanos / 1e6, 2);
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    // ---------------------------------------------------------------- the service as a process

    static final class Service {
        final Process process;
        final String base;
        final String adminBase;
        final Path log;
        final double startSeconds;

        private Service(Process process, String base, String adminBase, Path log, double startSeconds) {
            this.process = process;
            this.base = base;
            this.adminBase = adminBase;
            this.log = log;
            this.startSeconds = startSeconds;
        }

        static Service start(Path jar, Map<String, String> env, Path data) throws Exception {
            int port = freePort();
            int admin = freePort();
            Path log = data.resolve("service.log");
            List<String> command = new ArrayList<>(List.of(java(), "-Xmx256m", "-Ddw.scheduling.enabled=false",
                    "-Ddw.rateLimit.requestsPerSecond=1000000", "-Ddw.rateLimit.burst=1000000"));
            // BENCH_SERVICE_OPTS adds JVM options to the service, e.g. -XX:StartFlightRecording=filename=bench.jfr
            String extra = System.getenv().getOrDefault("BENCH_SERVICE_OPTS", "").trim();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\s+")));
            }
            command.addAll(List.of("-jar", jar.toString(), "server", "config.yml"));
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            builder.environment().put("AUDIT_HTTP_PORT", String.valueOf(port));
            builder.environment().put("AUDIT_ADMIN_PORT", String.valueOf(admin));
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
            long start = System.nanoTime();
            Process process = builder.start();
            String base = "http://127.0.0.1:" + port;
            long deadline = start + TimeUnit.SECONDS.toNanos(120);
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the service exited at start: " + Files.readString(log));
                }
                try {
                    Reply reply = send("GET", base + "/api/v1/events", null, null, Duration.ofSeconds(5));
                    if (reply.statusCode() == 401) { // up, and asking who is calling
                        return new Service(process, base, "http://127.0.0.1:" + admin, log, (System.nanoTime() - start) / 1e9);
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(50);
            }
            process.destroyForcibly();
            throw new IllegalStateException("the service did not start within 120 s");
        }

        /** Runs a command of the jar to its end and answers the last line it printed. */
        static String runJar(Path jar, Map<String, String> env, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of(java(), "-jar", jar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(env);
            Process process = builder.start();
            List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().filter(l -> !l.isBlank()).toList();
            if (process.waitFor() != 0 || lines.isEmpty()) {
                throw new IllegalStateException(String.join(" ", args) + " failed: " + String.join("\n", lines));
            }
            return lines.get(lines.size() - 1).trim();
        }

        long pid() {
            return process.pid();
        }

        long rssMiB(String field) throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Math.round(Long.parseLong(line.replaceAll("\\D+", "")) / 1024.0);
                }
            }
            return -1;
        }

        long logCount(String text) throws IOException {
            return Files.readAllLines(log).stream().filter(l -> l.contains(text)).count();
        }

        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        static String java() {
            return Path.of(System.getProperty("java.home"), "bin", "java").toString();
        }

        static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }
    }

    // ---------------------------------------------------------------- the events sent

    /** The same synthetic event as JSON for the service and as a row for raw PostgreSQL. */
    static final class Events {
        static final String RAW_COLUMNS = "tenant, seq, id, occurred_at, received_at, category, action, outcome, actor_id, "
                + "actor_type, actor_name, resource_type, resource_id, source_ip, user_agent, request_id, metadata, "
                + "idempotency_key, prev_hash, hash";
        static final String[] CATEGORIES = {"auth", "admin", "data_access", "system"};

        static String json(long n) {
            return "{\"action\":\"svc" + n % 10 + ".op" + n / 10 % 10 + "\",\"category\":\"" + CATEGORIES[(int) (n % 4)]
                    + "\",\"outcome\":\"success\",\"actor\":{\"id\":\"actor-" + n % 5000 + "\",\"type\":\"user\",\"name\":\"Actor "
                    + n % 5000 + "\"},\"resource\":{\"type\":\"type" + n % 20 + "\",\"id\":\"res-" + n % 10000
                    + "\"},\"source\":{\"ip\":\"10." + n % 250 + "." + n / 250 % 250 + ".1\",\"userAgent\":\"Mozilla/5.0 (bench)\"},"
                    + "\"requestId\":\"req-" + n + "\",\"metadata\":{\"team\":\"team" + n % 50 + "\",\"ref\":" + n
                    + ",\"note\":\"synthetic event for the benchmark\"},\"idempotencyKey\":\"bench-" + n + "\"}";
        }

        static void csvRow(StringBuilder out, String tenant, long seq, long n) {
            String now = Instant.now().toString();
            out.append(tenant).append(',').append(seq).append(',').append(UUID.randomUUID()).append(',')
                    .append(now).append(',').append(now).append(',').append(CATEGORIES[(int) (n % 4)])
                    .append(",svc").append(n % 10).append(".op").append(n / 10 % 10).append(",success,actor-").append(n % 5000)
                    .append(",user,Actor ").append(n % 5000).append(",type").append(n % 20).append(",res-").append(n % 10000)
                    .append(",10.").append(n % 250).append('.').append(n / 250 % 250).append(".1,Mozilla/5.0 (bench),req-").append(n)
                    .append(",\"{\"\"team\"\": \"\"team").append(n % 50).append("\"\", \"\"ref\"\": ").append(n)
                    .append(", \"\"note\"\": \"\"synthetic event for the benchmark\"\"}\",bench-").append(n)
                    .append(",\\x").append(hash(n)).append(",\\x").append(hash(n + 1)).append('\n');
        }

        static PreparedStatement bind(PreparedStatement s, String tenant, long seq, long n) throws SQLException {
            s.setString(1, tenant);
            s.setLong(2, seq);
            s.setObject(3, UUID.randomUUID());
            s.setString(4, CATEGORIES[(int) (n % 4)]);
            s.setString(5, "svc" + n % 10 + ".op" + n / 10 % 10);
            s.setString(6, "success");
            s.setString(7, "actor-" + n % 5000);
            s.setString(8, "user");
            s.setString(9, "Actor " + n % 5000);
            s.setString(10, "type" + n % 20);
            s.setString(11, "res-" + n % 10000);
            s.setString(12, "10." + n % 250 + "." + n / 250 % 250 + ".1");
            s.setString(13, "Mozilla/5.0 (bench)");
            s.setString(14, "req-" + n);
            s.setString(15, "{\"team\": \"team" + n % 50 + "\", \"ref\": " + n + ", \"note\": \"synthetic event for the benchmark\"}");
            s.setString(16, "bench-" + n);
            s.setBytes(17, HexFormat.of().parseHex(hash(n)));
            s.setBytes(18, HexFormat.of().parseHex(hash(n + 1)));
            return s;
        }

        static String hash(long n) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return String.format(Locale.ROOT, "%016x%016x%016x%016x", r.nextLong(), r.nextLong(), n, r.nextLong());
        }
    }

    // ---------------------------------------------------------------- the report

    /** docs/benchmarks.md from the result: the table, the machine, the command, what each step does. */
    static final class Report {
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
                        num(svc, "eventsPerSecond"), num(raw, "eventsPerSecond"), s.get("ratio").asText(), "≥ 1.5",
                        s.get("ratio").asDouble() >= 1.5);
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
                row(t, "5. retention", "seconds to delete " + String.format(Locale.ROOT, "%,d", ret.get("serviceDeleted").asLong())
                        + " expired events (" + ret.get("held") + " held) / one `DELETE`", ret.get("serviceSeconds").asText(),
                        ret.get("rawDeleteSeconds").asText(), ret.get("ratio").asText(), "reported", null);
                row(t, "", "ingest events/s, 64 clients: during the run / during the `DELETE`; alone "
                        + num(ret.get("ingestAlone"), "eventsPerSecond"),
                        num(ret.get("ingestDuringServiceRetention"), "eventsPerSecond"),
                        num(ret.get("ingestDuringRawDelete"), "eventsPerSecond"),
                        ret.get("ingestRatioDuringService") + " / " + ret.get("ingestRatioDuringRaw") + " of alone", "reported", null);
            }
            JsonNode f = r.get("footprint");
            if (f != null) {
                row(t, "6. footprint", "start seconds; RSS MiB at rest / after the load / peak", f.get("startSeconds") + " s; "
                        + f.get("rssAtRestMiB") + " / " + f.get("rssAfterLoadMiB") + " / " + f.get("peakRssMiB"), "", "",
                        "reported", null);
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
                    + "bench/run --quick    # small sizes, about a minute; part of CI (BenchQuickIT), writes target/bench/\n```\n\n"
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
                `bench/Bench.java`, on the same two cores as the service and PostgreSQL; the raw twins run from the same
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
                   (`FilterSql` and `QueryDao`), read to the last column, after the statement that reads the tenant's
                   head for a first page's snapshot, as the service does: every query is recorded in `t0` as it is
                   answered, so the head moves all through the step, and both sides page over the same events.
                4. **CSV export**: `GET /api/v1/exports/stream?format=csv` of 1,000,000 events read to the end,
                   beside `COPY (SELECT the same columns … ORDER BY seq) TO STDOUT WITH CSV HEADER` read to the end by
                   the same client. Ratio = COPY seconds ÷ export seconds.
                5. **Retention**: tenant `r0` holds the step's expired events (2019), with a legal hold on one
                   actor; `POST /api/v1/retention/runs` deletes the rest, in batches, and anchors the chain. The twin
                   is one `DELETE` of the same rows of tenant `r1`. 64 clients ingest during each, and alone before,
                   for the throughput ratios.
                6. **Footprint**: seconds from starting the process until the API answers, and the resident set size
                   (`VmRSS`, and `VmHWM` for the peak) of the service process at rest and after all of the above.

                Targets are reported, not enforced by the exit code; the run fails on any error answer or
                miscounted row.
                """;
    }
}
