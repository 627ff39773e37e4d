package org.auditlog.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service as an operating-system process, for tests of restarts, signals and several
 * instances on one database. Its output goes to {@code target/it-logs/<name>.log}.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target/audit-service.jar");
    private final String name;
    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path log;

    private ServiceProcess(String name, Process process, int port, int adminPort, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /** Starts {@code server config.yml} on {@code databaseUrl} with {@code -Ddw.} overrides, and waits until it answers. */
    public static ServiceProcess start(String name, String databaseUrl, Path dataDir, String... overrides) throws Exception {
        return start(name, databaseUrl, dataDir, Map.of(), overrides);
    }

    /** {@link #start(String, String, Path, String...)} with more environment variables (such as AUDIT_DB_RUNTIME_USER). */
    public static ServiceProcess start(String name, String databaseUrl, Path dataDir, Map<String, String> environment,
                                       String... overrides) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(name, databaseUrl, dataDir, environment, overrides);
            } catch (PortTaken e) {
                if (attempt == 3) {
                    throw e;
                }
                // another process took a port between our check and the service's bind: choose again
            }
        }
    }

    /** The service exited at start because a port it was given was no longer free. */
    private static final class PortTaken extends IllegalStateException {
        PortTaken(String message) {
            super(message);
        }
    }

    private static ServiceProcess startOnce(String name, String databaseUrl, Path dataDir,
                                            Map<String, String> environment, String... overrides) throws Exception {
        int port = Ports.free();
        int adminPort = Ports.free();
        Path logs = Files.createDirectories(Path.of("target/it-logs"));
        Path log = logs.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m"));
        if (Arrays.stream(overrides).noneMatch(o -> o.startsWith("outbound.allowPrivateNetworks="))) {
            // the tests' webhook receivers listen on loopback
            command.add("-Ddw.outbound.allowPrivateNetworks=true");
        }
        for (String override : overrides) {
            command.add("-Ddw." + override);
        }
        command.addAll(List.of("-jar", JAR.toString(), "server", "config.yml"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().put("AUDIT_DB_URL", databaseUrl);
        builder.environment().put("AUDIT_DB_USER", "postgres");
        builder.environment().put("AUDIT_DB_PASSWORD", "");
        builder.environment().put("AUDIT_DATA_DIR", dataDir.toString());
        builder.environment().put("AUDIT_HTTP_PORT", Integer.toString(port));
        builder.environment().put("AUDIT_ADMIN_PORT", Integer.toString(adminPort));
        builder.environment().putAll(environment);
        ServiceProcess service = new ServiceProcess(name, builder.start(), port, adminPort, log);
        service.awaitUp();
        return service;
    }

    /** What a finished run of the jar printed, and how it exited. */
    public record Finished(int exitCode, String output) {
    }

    /** Runs {@code server config.yml} expecting it to stop by itself (a bad configuration), within 60 s. */
    public static Finished runToEnd(String databaseUrl, Path dataDir, String... overrides) throws Exception {
        return runToEnd(databaseUrl, dataDir, Map.of(), overrides);
    }

    /** {@link #runToEnd(String, Path, String...)} with more environment variables. */
    public static Finished runToEnd(String databaseUrl, Path dataDir, Map<String, String> environment,
                                    String... overrides) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        for (String override : overrides) {
            command.add("-Ddw." + override);
        }
        command.addAll(List.of("-jar", JAR.toString(), "server", "config.yml"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("AUDIT_DB_URL", databaseUrl);
        builder.environment().put("AUDIT_DATA_DIR", dataDir.toString());
        builder.environment().put("AUDIT_HTTP_PORT", Integer.toString(Ports.free()));
        builder.environment().put("AUDIT_ADMIN_PORT", Integer.toString(Ports.free()));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the service kept running");
        }
        return new Finished(process.exitValue(), output);
    }

    /** Runs a command of the jar (such as create-key) and answers the last line it printed. */
    public static String command(String databaseUrl, Path dataDir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("AUDIT_DB_URL", databaseUrl);
        builder.environment().put("AUDIT_DB_USER", "postgres");
        builder.environment().put("AUDIT_DB_PASSWORD", "");
        builder.environment().put("AUDIT_DATA_DIR", dataDir.toString());
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        List<String> lines = new String(process.getInputStream().readAllBytes()).lines().filter(l -> !l.isBlank()).toList();
        if (process.waitFor() != 0 || lines.isEmpty()) {
            throw new IllegalStateException(String.join(" ", args) + " failed");
        }
        return lines.get(lines.size() - 1).trim();
    }

    private void awaitUp() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                if (Files.readString(log).contains("Address already in use")) {
                    throw new PortTaken(name + " found its port taken; see " + log);
                }
                throw new IllegalStateException(name + " exited at start; see " + log);
            }
            try {
                var reply = client.send(HttpRequest.newBuilder(URI.create(adminUrl() + "/ping"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (reply.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not answer within 90 s; see " + log);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    public Process process() {
        return process;
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    /** SIGTERM, then waits for the process to end. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
