package org.auditlog.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.DropwizardTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.auditlog.AuditApplication;
import org.auditlog.AuditConfiguration;
import org.auditlog.auth.ApiKeyService;
import org.auditlog.auth.KeyAuditTrail;
import org.auditlog.database.Database;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.integrity.EventHasher;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;

/**
 * The real application, started once per test run on the run's database with the project's own
 * config.yml, and a real HTTP client to talk to it. Tests keep apart by using tenants of their own.
 */
public final class TestApp {
    public static final ObjectMapper JSON = Jackson.newObjectMapper();
    /** The port the application sends e-mail to; tests start GreenMail on it. */
    public static final int SMTP_PORT = Ports.free();
    /** Where the application POSTs every signed checkpoint ({@code integrity.publishUrl}). */
    public static final WebhookReceiver CHECKPOINT_RECEIVER = checkpointReceiver();
    private static TestApp instance;

    private final DropwizardTestSupport<AuditConfiguration> support;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ApiKeyService keys;
    private final ChainWriter writer;
    private final Path dataDir;

    private TestApp(DropwizardTestSupport<AuditConfiguration> support, ApiKeyService keys, ChainWriter writer, Path dataDir) {
        this.support = support;
        this.keys = keys;
        this.writer = writer;
        this.dataDir = dataDir;
    }

    /** Appends events straight through the service's chain writer, e.g. to a tenant that has no key yet. */
    public void append(String tenant, java.util.List<org.auditlog.event.EventDraft> drafts) {
        writer.append(tenant, drafts);
    }

    /** A minimal event that occurred {@code daysAgo} days ago. */
    public static org.auditlog.event.EventDraft draft(String action, String category, int daysAgo) {
        var now = org.auditlog.common.Timestamps.now();
        var occurred = now.minus(java.time.Duration.ofDays(daysAgo));
        return new org.auditlog.event.EventDraft(action, new org.auditlog.event.Actor("someone", "user", null, null),
                occurred, now, category, org.auditlog.event.Outcome.SUCCESS, java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
                java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty());
    }

    public static synchronized TestApp get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestApp start() {
        TestDatabase database = TestDatabase.get();
        try {
            Path dataDir = Files.createTempDirectory("audit-test-data");
            var support = new DropwizardTestSupport<>(AuditApplication.class, Path.of("config.yml").toAbsolutePath().toString(),
                    ConfigOverride.config("database.url", database.url()),
                    ConfigOverride.config("database.user", "postgres"),
                    ConfigOverride.config("database.password", ""),
                    ConfigOverride.config("dataDir", dataDir.toString()),
                    ConfigOverride.config("server.applicationConnectors[0].port", "0"),
                    ConfigOverride.config("server.adminConnectors[0].port", "0"),
                    ConfigOverride.config("integrity.checkpointInterval", "2 seconds"),
                    ConfigOverride.config("integrity.verificationInterval", "2 seconds"),
                    ConfigOverride.config("integrity.publishUrl", CHECKPOINT_RECEIVER.url()),
                    ConfigOverride.config("exports.cleanupInterval", "2 seconds"),
                    ConfigOverride.config("alerts.evaluationInterval", "2 seconds"),
                    ConfigOverride.config("rateLimit.requestsPerSecond", "100000"),
                    ConfigOverride.config("rateLimit.burst", "100000"),
                    ConfigOverride.config("rateLimit.tenantRequestsPerSecond", "100000"),
                    ConfigOverride.config("rateLimit.tenantBurst", "100000"),
                    ConfigOverride.config("auth.failedPerMinute", "100000"),
                    ConfigOverride.config("alerts.deliveryInterval", "1 second"),
                    ConfigOverride.config("alerts.webhookTimeout", "1 second"),
                    ConfigOverride.config("alerts.maxAttempts", "3"),
                    ConfigOverride.config("alerts.initialBackoff", "300 milliseconds"),
                    ConfigOverride.config("streams.pollInterval", "100 milliseconds"),
                    ConfigOverride.config("streams.timeout", "1 second"),
                    ConfigOverride.config("streams.initialBackoff", "100 milliseconds"),
                    ConfigOverride.config("streams.maxBackoff", "400 milliseconds"),
                    ConfigOverride.config("streams.pauseAfter", "3 seconds"),
                    ConfigOverride.config("alerts.smtp.port", Integer.toString(SMTP_PORT)),
                    // the tests' webhook receivers listen on loopback; PrivateDestinationsIT runs the guard as shipped
                    ConfigOverride.config("outbound.allowPrivateNetworks", "true"));
            support.before();
            Runtime.getRuntime().addShutdownHook(new Thread(support::after, "test-app-stop"));
            Jdbi jdbi = Database.standalone(support.getConfiguration().getDatabase());
            var writer = new ChainWriter(jdbi, new EventHasher(support.getObjectMapper()));
            return new TestApp(support, keyService(jdbi, writer), writer, dataDir);
        } catch (Exception e) {
            throw new IllegalStateException("the application did not start", e);
        }
    }

    private static WebhookReceiver checkpointReceiver() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen for checkpoints", e);
        }
    }

    /** A tenant name no other test uses. */
    public static String newTenant(String hint) {
        return hint + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static ApiKeyService keyService(Jdbi jdbi, ChainWriter writer) {
        return new ApiKeyService(jdbi, new KeyAuditTrail(new AuditTrail(writer)), org.auditlog.auth.KeyCache.none());
    }

    /**
     * A key made the way the create-key command makes it, on another database of the run (a
     * migrated scratch one), without starting a process for the command.
     */
    public static String createKey(Jdbi jdbi, String tenant, String... roles) {
        var writer = new ChainWriter(jdbi, new EventHasher(JSON));
        return keyService(jdbi, writer).createFromCommand(tenant, "test-" + String.join("-", roles), Arrays.asList(roles))
                .secret();
    }

    /** A key made the way the create-key command makes it. */
    public String createKey(String tenant, String... roles) {
        return keys.createFromCommand(tenant, "test-" + String.join("-", roles), Arrays.asList(roles)).secret();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + support.getLocalPort();
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + support.getAdminPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    public DropwizardTestSupport<AuditConfiguration> support() {
        return support;
    }

    public Reply post(String path, String key, String body) {
        return send(request(path, key).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"));
    }

    public Reply post(String path, String key, byte[] body) {
        return send(request(path, key).POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", "application/json"));
    }

    public Reply post(String path, String key, Object body) {
        try {
            return post(path, key, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Waits until {@code check} holds, up to 20 s. */
    public static void eventually(String what, java.util.function.BooleanSupplier check) {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!check.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public Reply get(String path, String key) {
        return send(request(path, key).GET());
    }

    /** POST to an admin-port task. */
    public Reply task(String nameAndQuery) {
        return send(request(adminUrl() + "/tasks/" + nameAndQuery, null).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Reply delete(String path, String key) {
        return send(request(path, key).DELETE());
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String key) {
        String url = path.startsWith("http") ? path : baseUrl() + path;
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    /** Runs the command in-process; a failing command throws instead of exiting the JVM. */
    public static String command(String... args) throws Exception {
        return command(Map.of("database.url", TestDatabase.get().url(), "dataDir", get().dataDir().toString()), args);
    }

    /**
     * Runs the command in-process with these configuration keys set (e.g. {@code database.url} of a
     * scratch database and its {@code dataDir}); a failing command throws instead of exiting the JVM.
     */
    public static String command(Map<String, String> config, String... args) throws Exception {
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        config.forEach((key, value) -> System.setProperty("dw." + key, value));
        System.setProperty("dw.logging.level", "WARN");
        // the command sets up logging for the whole JVM; the application's level comes back after it
        var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var level = root.getLevel();
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            new AuditApplication() {
                @Override
                protected void onFatalError(Throwable t) {
                    throw new IllegalStateException("command failed; it printed: "
                            + captured.toString(StandardCharsets.UTF_8), t);
                }
            }.run(args);
        } finally {
            System.setOut(original);
            config.keySet().forEach(key -> System.clearProperty("dw." + key));
            System.clearProperty("dw.logging.level");
            root.setLevel(level);
        }
        return ownLines(captured.toString(StandardCharsets.UTF_8));
    }

    /**
     * What the command printed, without the log lines other threads of this JVM wrote meanwhile (the
     * test service's scheduled jobs): the command's logging writes every thread's lines to the
     * captured standard output.
     */
    private static String ownLines(String output) {
        String self = Thread.currentThread().getName();
        StringBuilder own = new StringBuilder();
        output.lines().filter(line -> !loggedByAnotherThread(line, self)).forEach(line -> own.append(line).append('\n'));
        return own.toString();
    }

    private static boolean loggedByAnotherThread(String line, String self) {
        if (!line.startsWith("{\"timestamp\"")) {
            return false;
        }
        try {
            JsonNode logged = JSON.readTree(line);
            return logged.has("thread") && !logged.get("thread").asText().equals(self);
        } catch (IOException e) {
            return false;
        }
    }

    /** Rows of a query run as the superuser, each a map of column to value. */
    public static List<Map<String, Object>> rows(String sql, Object... parameters) {
        try (Connection connection = TestDatabase.get().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> result = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    var row = new java.util.LinkedHashMap<String, Object>();
                    for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                        row.put(rs.getMetaData().getColumnLabel(c), rs.getObject(c));
                    }
                    result.add(row);
                }
            }
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements as the superuser with triggers off, the way someone going behind the service would. */
    public static void tamper(String... statements) {
        tamperAt(TestDatabase.get().url(), statements);
    }

    /** {@link #tamper} on another database of the run, such as a scratch one a service process uses. */
    public static void tamperAt(String databaseUrl, String... statements) {
        try (Connection connection = java.sql.DriverManager.getConnection(databaseUrl, "postgres", "");
             var statement = connection.createStatement()) {
            statement.execute("set session_replication_role = replica");
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(String tenant) {
        return ((Number) rows("select count(*) as n from audit_events where tenant = ?", tenant).get(0).get("n")).longValue();
    }

    /** An HTTP answer. */
    public record Reply(int status, String body, Map<String, List<String>> headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream())
                    .findFirst()
                    .orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
    }
}
