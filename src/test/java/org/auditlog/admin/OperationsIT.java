package org.auditlog.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.auditlog.support.Ports;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/** Operations with the real jar as a process: limits, logs, signals, a database that goes away, bad configuration. */
class OperationsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> call(String method, String url, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfterAndOtherKeysDoNot() throws Exception {
        String url = TestDatabase.get().scratch("ratelimit");
        Path data = Files.createTempDirectory("ratelimit");
        String key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        String other = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        try (var service = ServiceProcess.start("ratelimit", url, data, "rateLimit.requestsPerSecond=1", "rateLimit.burst=3")) {
            int ok = 0;
            HttpResponse<String> limited = null;
            for (int i = 0; i < 8; i++) {
                var reply = call("GET", service.baseUrl() + "/api/v1/keys", key, null);
                if (reply.statusCode() == 200) {
                    ok++;
                } else if (reply.statusCode() == 429) {
                    limited = reply;
                }
            }
            assertThat(ok).as("requests within the burst of 3 (plus what refilled meanwhile)").isBetween(3, 5);
            assertThat(limited).isNotNull();
            assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
            assertThat(TestApp.JSON.readTree(limited.body()).get("code").asInt()).isEqualTo(429);
            assertThat(call("GET", service.baseUrl() + "/api/v1/keys", other, null).statusCode()).isEqualTo(200);
            Thread.sleep(2100);
            assertThat(call("GET", service.baseUrl() + "/api/v1/keys", key, null).statusCode()).isEqualTo(200);
        } finally {
            TestDatabase.get().dropScratch("ratelimit");
        }
    }

    @Test
    void prometheusShowsTheServicesMetricsAndLogsAreJsonWithoutSecrets() throws Exception {
        String url = TestDatabase.get().scratch("logs");
        Path data = Files.createTempDirectory("logs");
        String key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        String webhookSecret = "a-very-secret-webhook-value-123";
        String newKey;
        String log;
        try (var service = ServiceProcess.start("logs", url, data)) {
            assertThat(call("POST", service.baseUrl() + "/api/v1/events", key,
                    "{\"action\": \"user.login\", \"actor\": {\"id\": \"a\"}}").statusCode()).isEqualTo(201);
            assertThat(call("POST", service.baseUrl() + "/api/v1/events", "ak_wrong-key-for-the-log-check", "{}").statusCode())
                    .isEqualTo(401);
            assertThat(call("POST", service.baseUrl() + "/api/v1/alerts/channels", key,
                    "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:9/x\", \"secret\": \"" + webhookSecret + "\"}")
                    .statusCode()).isEqualTo(201);
            newKey = TestApp.JSON.readTree(call("POST", service.baseUrl() + "/api/v1/keys", key,
                    "{\"name\": \"n\", \"roles\": [\"auditor\"]}").body()).get("key").asText();
            call("GET", service.baseUrl() + "/api/v1/events?limit=5", newKey, null);
            call("GET", service.baseUrl() + "/api/v1/exports/stream?format=csv", newKey, null);

            var prometheus = call("GET", service.adminUrl() + "/metrics/prometheus", null, null);
            assertThat(prometheus.statusCode()).isEqualTo(200);
            assertThat(prometheus.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(prometheus.body()).contains("# TYPE", "jvm_", "ingest_commit_requests",
                    "io_dropwizard_db_ManagedPooledDataSource_database_active", "org_auditlog_ingest_IngestResource_ingest_single",
                    "org_auditlog_query_EventsResource_query_search", "org_auditlog_export_ExportsResource_export_stream",
                    "retention_events_deleted", "alerts_fired", "alerts_deliveries_failed");
            // the tenant is a label of the per-tenant series, never part of a metric's name; keys never show
            assertThat(prometheus.body()).contains("tenant_requests_seconds_count{endpoint=\"GET /api/v1/events\",status=\"200\",tenant=\"acme\"} 1")
                    .doesNotContainPattern("(?m)^[^{#]*acme").doesNotContain(key).doesNotContain(newKey).doesNotContain(webhookSecret);
            log = service.log();
        } finally {
            TestDatabase.get().dropScratch("logs");
        }
        String privateKey = Files.readString(data.resolve("keys/signing-key.pem"));
        privateKey = privateKey.substring(privateKey.indexOf("-----\n") + 6, privateKey.indexOf("\n-----END PRIVATE KEY"))
                .replace("\n", "");
        assertThat(log).doesNotContain(key, newKey, "ak_wrong-key-for-the-log-check", webhookSecret, privateKey, "Bearer");
        long jsonLines = 0;
        boolean accessWithRequestId = false;
        for (String line : log.lines().toList()) {
            if (line.startsWith("{")) {
                JsonNode json = TestApp.JSON.readTree(line);
                jsonLines++;
                accessWithRequestId |= json.has("uri") && json.path("responseHeaders").has("X-Request-Id");
                assertThat(json.path("timestamp").asText()).as(line)
                        .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            }
        }
        assertThat(jsonLines).isGreaterThan(20);
        assertThat(accessWithRequestId).isTrue();
    }

    @Test
    void onSigtermEveryAcknowledgedIngestIsStoredAndTheProcessEnds() throws Exception {
        String url = TestDatabase.get().scratch("sigterm");
        Path data = Files.createTempDirectory("sigterm");
        String key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "ingest");
        var service = ServiceProcess.start("sigterm", url, data);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean sending = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        for (int c = 0; c < 8; c++) {
            int client = c;
            clients.submit(() -> {
                int n = 0;
                while (sending.get()) {
                    String idempotencyKey = "c" + client + "-" + n++;
                    try {
                        var reply = call("POST", service.baseUrl() + "/api/v1/events", key, "{\"action\": \"load.event\", "
                                + "\"actor\": {\"id\": \"c" + client + "\"}, \"idempotencyKey\": \"" + idempotencyKey + "\"}");
                        if (reply.statusCode() == 201 || reply.statusCode() == 200) {
                            acknowledged.add(idempotencyKey);
                        }
                    } catch (Exception e) {
                        // refused connections once the service stops taking requests
                    }
                }
                return null;
            });
        }
        Thread.sleep(2000);
        long stopping = System.nanoTime();
        int exit = service.stop();
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
        sending.set(false);
        clients.shutdown();
        clients.awaitTermination(60, TimeUnit.SECONDS);
        try {
            assertThat(acknowledged).hasSizeGreaterThan(20);
            long stored = TestDatabase.count(url, "select count(*) from audit_events where action = 'load.event' "
                    + "and idempotency_key = any(array[" + String.join(",", acknowledged.stream().map(k -> "'" + k + "'").toList())
                    + "])");
            assertThat(stored).as("acknowledged events stored").isEqualTo(acknowledged.size());
            assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(stopMillis).as("time to stop").isLessThan(40_000);
            assertThat(service.log()).contains("Stopped");
        } finally {
            TestDatabase.get().dropScratch("sigterm");
        }
    }

    @Test
    void whenTheDatabaseGoesAwayRequestsAnswer503QuicklyAndTheServiceRecoversByItself() throws Exception {
        int port = Ports.free();
        Path pgData = Files.createTempDirectory("pg-outage");
        Path data = Files.createTempDirectory("outage");
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(pgData)
                .setCleanDataDirectory(false).start();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        String key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        String event = "{\"action\": \"outage.test\", \"actor\": {\"id\": \"a\"}}";
        try (var service = ServiceProcess.start("outage", url, data)) {
            assertThat(call("POST", service.baseUrl() + "/api/v1/events", key, event).statusCode()).isEqualTo(201);

            postgres.close();
            long started = System.nanoTime();
            var down = call("POST", service.baseUrl() + "/api/v1/events", key, event);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).isPresent();
            var query = call("GET", service.baseUrl() + "/api/v1/events?limit=1", key, null);
            assertThat(query.statusCode()).isEqualTo(503);
            assertThat(millis).as("answered quickly").isLessThan(15_000);
            var health = call("GET", service.adminUrl() + "/healthcheck", null, null);
            assertThat(health.statusCode()).isEqualTo(500);
            assertThat(TestApp.JSON.readTree(health.body()).get("database").get("healthy").asBoolean()).isFalse();

            postgres = EmbeddedPostgres.builder().setPort(port).setDataDirectory(pgData).setCleanDataDirectory(false).start();
            int status = 0;
            long deadline = System.currentTimeMillis() + 60_000;
            while (status != 201 && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                status = call("POST", service.baseUrl() + "/api/v1/events", key, event).statusCode();
            }
            assertThat(status).as("ingest after the database came back").isEqualTo(201);
            var healthy = call("GET", service.adminUrl() + "/healthcheck", null, null);
            assertThat(TestApp.JSON.readTree(healthy.body()).get("database").get("healthy").asBoolean()).isTrue();
            var verify = call("GET", service.baseUrl() + "/api/v1/integrity/verify", key, null);
            assertThat(TestApp.JSON.readTree(verify.body()).get("ok").asBoolean()).isTrue();
        } finally {
            postgres.close();
        }
    }

    @Test
    void aBadConfigurationStopsTheStartNamingTheKey() throws Exception {
        Path data = Files.createTempDirectory("badconfig");
        String url = "jdbc:postgresql://127.0.0.1:5432/none";
        for (String[] bad : List.of(new String[] {"ingest.maxBatchSize=0", "ingest.maxBatchSize"},
                new String[] {"retention.schedule=every day", "retention.schedule"},
                new String[] {"retention.defaultRetainDays=0", "retention.defaultRetainDays"},
                new String[] {"alerts.evaluationInterval=0 seconds", "alerts.evaluationInterval"},
                new String[] {"rateLimit.burst=-1", "rateLimit.burst"})) {
            var finished = ServiceProcess.runToEnd(url, data, bad[0]);
            assertThat(finished.exitCode()).as(bad[0]).isNotZero();
            assertThat(finished.output()).as(bad[0]).contains(bad[1]);
        }
    }

}
