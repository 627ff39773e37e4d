package bench;

import static bench.Bench.JSON;
import static bench.Http.expect;
import static bench.Http.send;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The packaged service as a process of its own, and its commands run to their end. */
record Service(Process process, String base, String adminBase, Path log, double startSeconds) {
    /** The service as the steps measure it: a 256 MB heap, scheduled jobs off (the loaded data's hashes are filler). */
    static Service start(Path jar, Map<String, String> env, Path data) throws Exception {
        return start(jar, env, data, "256m", false);
    }

    /**
     * The service with a heap of at most {@code heap} ({@code -Xmx}); {@code scheduling} on for a step
     * whose data is a valid chain and whose work runs as a job, such as a report.
     */
    static Service start(Path jar, Map<String, String> env, Path data, String heap, boolean scheduling) throws Exception {
        return start(jar, env, data, heap, scheduling, List.of());
    }

    /** The same, with {@code options} for the JVM after the benchmark's own (a later {@code -D} wins). */
    static Service start(Path jar, Map<String, String> env, Path data, String heap, boolean scheduling, List<String> options)
            throws Exception {
        int port = freePort();
        int admin = freePort();
        Path log = data.resolve("service.log");
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-Ddw.scheduling.enabled=" + scheduling,
                "-Ddw.rateLimit.requestsPerSecond=1000000", "-Ddw.rateLimit.burst=1000000",
                "-Ddw.rateLimit.tenantRequestsPerSecond=1000000", "-Ddw.rateLimit.tenantBurst=1000000",
                "-Ddw.outbound.allowPrivateNetworks=true")); // the stream step's receiver is on loopback
        // BENCH_SERVICE_OPTS adds JVM options to the service, e.g. -XX:StartFlightRecording=filename=bench.jfr
        command.addAll(options);
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
                Http.Reply reply = send("GET", base + "/api/v1/events", null, null, Duration.ofSeconds(5));
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

    Http.Reply post(String key, String path, String body) throws IOException {
        return send("POST", base + path, key, body, Duration.ofSeconds(60));
    }

    JsonNode getJson(String key, String path) throws IOException {
        Http.Reply reply = send("GET", base + path, key, null, Duration.ofSeconds(60));
        expect(reply, 200, "GET " + path);
        return JSON.readTree(reply.body());
    }

    /** Clients that each post one event at a time to the tenant of {@code key}. */
    Supplier<Task> singleEvents(String key, AtomicLong eventNo) {
        return () -> () -> expect(post(key, "/api/v1/events", Events.json(eventNo.incrementAndGet())), 201, "single ingest");
    }

    /** Posts one batch of {@code size} events to the tenant of {@code key}. */
    Task batch(String key, AtomicLong eventNo, int size) {
        return () -> {
            StringBuilder body = new StringBuilder(size * 450).append("{\"events\":[");
            for (int i = 0; i < size; i++) {
                body.append(i == 0 ? "" : ",").append(Events.json(eventNo.incrementAndGet()));
            }
            expect(post(key, "/api/v1/events/batch", body.append("]}").toString()), 201, "batch ingest");
        };
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

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
