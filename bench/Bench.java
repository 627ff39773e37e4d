package bench;

import static bench.Numbers.round;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark behind docs/benchmarks.md: every figure of the service measured beside its raw
 * PostgreSQL twin in the same run, on a scratch database of the PostgreSQL at 127.0.0.1:5432.
 *
 * <p>Run it with {@code bench/run [--quick] [--out DIR] [--only report|ratelimit]}; {@code bench/run --report} only rewrites
 * docs/benchmarks.md from bench/results/bench.json (after editing bench/findings.md). The full run writes docs/benchmarks.md
 * and bench/results/bench.json; {@code --quick} (small sizes, part of CI) writes to target/bench
 * unless {@code --out} says otherwise. {@code --only report} runs the report step alone; in a full run
 * its figures replace the report's in bench/results/bench.json, and docs/benchmarks.md is made again
 * from that file. It exits non-zero when a step answered an error or lost
 * count of rows; targets are reported, not enforced (the machine is shared).
 *
 * <p>This class runs the steps in order and holds what they share: the sizes, the scratch database,
 * the service, the result and the failures. Each step is a class of its own beside it.
 */
public final class Bench {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** How big each step is. */
    record Sizes(String mode, int queryRows, int batchEvents, int singleSeconds, int queryIterations,
                 int exportRows, int retentionRows, int retentionIngestSeconds, int warmUpSeconds,
                 int singleWarmUpSeconds, int reportEvents, int rateLimitSeconds) {
    }

    static final Sizes FULL = new Sizes("full", 5_000_000, 200_000, 20, 300, 1_000_000, 1_000_000, 10, 45, 300, 1_000_000, 15);
    static final Sizes QUICK = new Sizes("quick", 100_000, 20_000, 4, 40, 50_000, 50_000, 3, 6, 2, 100_000, 3);

    final Sizes sizes;
    final Path jar;
    final String database = "bench_" + ProcessHandle.current().pid();
    final Postgres postgres = Postgres.named(database);
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
        int only = List.of(args).indexOf("--only");
        String alone = only >= 0 && only + 1 < args.length ? args[only + 1] : null;
        if (only >= 0 && !List.of("report", "ratelimit").contains(String.valueOf(alone))) {
            throw new IllegalArgumentException("--only takes one step: report or ratelimit");
        }
        Bench bench = new Bench(quick ? QUICK : FULL, Path.of("target/audit-service.jar"));
        long start = System.nanoTime();
        try {
            if (only >= 0) {
                bench.runAlone(alone);
            } else {
                bench.run();
            }
        } finally {
            bench.cleanUp();
        }
        Path json = dir == null ? Path.of("bench/results/bench.json") : dir.resolve("bench.json");
        Path markdown = dir == null ? Path.of("docs/benchmarks.md") : dir.resolve("benchmarks.md");
        Files.createDirectories(json.getParent());
        Files.createDirectories(markdown.getParent());
        ObjectNode result = bench.result;
        if (only >= 0 && Files.exists(json)) { // the step's figures beside the last run's of the other steps
            result = (ObjectNode) JSON.readTree(json.toFile());
            String key = alone.equals("ratelimit") ? "rateLimit" : "report";
            result.set(key, bench.result.get(key));
            if (!bench.failures.isEmpty()) {
                result.set("failures", JSON.valueToTree(bench.failures));
            }
        } else {
            result.put("totalSeconds", round((System.nanoTime() - start) / 1e9, 1));
            result.set("failures", JSON.valueToTree(bench.failures));
        }
        JSON.writeValue(json.toFile(), result);
        Files.writeString(markdown, Report.markdown(result, quick));
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
        Postgres.ADMIN.execute("create database " + database);
        Path data = Files.createTempDirectory("bench-data");
        Map<String, String> env = Map.of("AUDIT_DB_URL", postgres.url(), "AUDIT_DB_USER", "postgres", "AUDIT_DB_PASSWORD", "",
                "AUDIT_DATA_DIR", data.toString());
        Service.runJar(jar, env, "db", "migrate", "config.yml");
        DataSet.load(this);
        String ingestKey = Service.runJar(jar, env, "create-key", "config.yml", "--tenant", "bench", "--role", "ingest", "--name", "bench-ingest");
        List<String> tenants = List.of("bench-1", "bench-2", "bench-3", "bench-4");
        List<String> tenantKeys = new ArrayList<>();
        for (String tenant : tenants) {
            tenantKeys.add(Service.runJar(jar, env, "create-key", "config.yml", "--tenant", tenant, "--role", "ingest", "--name", "bench-ingest"));
        }
        String auditorKey = Service.runJar(jar, env, "create-key", "config.yml", "--tenant", "t0", "--role", "auditor", "--name", "bench-auditor");
        String retentionKey = Service.runJar(jar, env, "create-key", "config.yml", "--tenant", "r0", "--role", "admin", "--name", "bench-admin");
        String streamKey = Service.runJar(jar, env, "create-key", "config.yml", "--tenant", "bench", "--role", "admin", "--name", "bench-streams");

        step("start the service (-Xmx256m)");
        service = Service.start(jar, env, data);
        Thread.sleep(3000);
        ObjectNode footprint = Footprint.atRest(this);

        WarmUp.run(this, ingestKey, auditorKey);
        BatchIngest.run(this, "batchIngest", List.of(ingestKey), List.of("bench"), 0);
        BatchIngest.run(this, "batchIngestTenants", tenantKeys, tenants, 5_000_000_000L);
        SingleIngest.run(this, ingestKey);
        Queries.run(this, auditorKey);
        Export.run(this, auditorKey);
        Retention.run(this, retentionKey, ingestKey);
        Streams.run(this, streamKey);

        Footprint.afterLoad(this, footprint);
        service.stop(); // the report step runs a service of its own, on a database of its own
        service = null;
        ReportBench.run(this);
        RateLimitCost.run(this);
    }

    /** One step alone ({@code --only report} or {@code --only ratelimit}). */
    void runAlone(String step) throws Exception {
        result.put("mode", sizes.mode());
        result.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        result.set("machine", machine());
        if (step.equals("ratelimit")) {
            RateLimitCost.run(this);
        } else {
            ReportBench.run(this);
        }
    }

    void cleanUp() {
        if (service != null) {
            service.stop();
        }
        try {
            Postgres.ADMIN.execute("drop database if exists " + database + " with (force)");
            Postgres.ADMIN.execute("drop database if exists " + database + "_report with (force)");
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
        try (Connection c = Postgres.ADMIN.connect();
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("show server_version")) {
            rs.next();
            node.put("postgresql", rs.getString(1));
        } catch (SQLException e) {
            node.put("postgresql", "unknown");
        }
        return node;
    }

    /** Says on the console which step starts. */
    static void step(String what) {
        System.out.printf("[%s] %s%n", Instant.now().toString().substring(11, 19), what);
    }
}
