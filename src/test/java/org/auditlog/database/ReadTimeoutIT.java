package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * {@code query.statementTimeout} bounds a client's reads, and only those: with the events table
 * locked by another session, reads wait and are cancelled at the timeout with a 503, while an
 * ingest and a streamed export wait for the lock and then succeed. The service runs with the
 * driver's and JDBI's loggers at TRACE, and no bound value reaches its log.
 */
class ReadTimeoutIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void readsPastTheTimeoutAnswer503WhileIngestAndStreamedExportsAreNotBounded() throws Exception {
        String url = TestDatabase.get().scratch("readtimeout");
        Path data = Files.createTempDirectory("readtimeout");
        String secret = "sk_live_" + UUID.randomUUID().toString().replace("-", "");
        String log;
        try (var service = ServiceProcess.start("readtimeout", url, data, "query.statementTimeout=300ms",
                "logging.loggers.org\\.postgresql=TRACE", "logging.loggers.org\\.jdbi=TRACE")) {
            String key = TestApp.createKey(Database.configure(Jdbi.create(url, "postgres", "")), "acme", "admin");
            var stored = send(service, "POST", "/api/v1/events", key, "{\"action\": \"user.login\", \"actor\": {\"id\": \"a\"}, "
                    + "\"idempotencyKey\": \"" + secret + "\", \"metadata\": {\"token\": \"" + secret + "\"}}");
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(201);
            String id = TestApp.JSON.readTree(stored.body()).get("id").asText();
            List<String> reads = List.of("/api/v1/events?actorId=a", "/api/v1/events/" + id,
                    "/api/v1/events/stats?groupBy=action", "/api/v1/integrity/verify", "/api/v1/retention/holds",
                    "/api/v1/alerts/rules");
            for (String read : reads) {
                assertThat(send(service, "GET", read, key, null).statusCode()).as(read).isEqualTo(200);
            }

            try (Connection lock = DriverManager.getConnection(url, "postgres", "")) {
                lock.setAutoCommit(false);
                lock.createStatement().execute("lock table audit_events, legal_holds, alert_rules in access exclusive mode");
                for (String read : reads) {
                    long started = System.nanoTime();
                    var reply = send(service, "GET", read, key, null);
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    assertThat(reply.statusCode()).as(read + " " + reply.body()).isEqualTo(503);
                    assertThat(TestApp.JSON.readTree(reply.body()).get("code").asInt()).isEqualTo(503);
                    assertThat(reply.headers().firstValue("Retry-After")).isPresent();
                    assertThat(reply.body()).doesNotContainIgnoringCase("select").doesNotContain("audit_events", "SQL");
                    assertThat(millis).as(read + " is cut at the timeout, not left to wait for the lock").isLessThan(5000);
                }

                var ingest = CompletableFuture.supplyAsync(() -> send(service, "POST", "/api/v1/events", key,
                        "{\"action\": \"user.logout\", \"actor\": {\"id\": \"a\"}}"));
                var export = CompletableFuture.supplyAsync(() -> send(service, "GET", "/api/v1/exports/stream?format=ndjson",
                        key, null));
                Thread.sleep(1000);
                assertThat(ingest).as("an ingest waits for the lock past the read timeout").isNotDone();
                assertThat(export).as("a streamed export waits for the lock past the read timeout").isNotDone();
                lock.rollback();
                assertThat(ingest.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
                var exported = export.get(30, TimeUnit.SECONDS);
                assertThat(exported.statusCode()).isEqualTo(200);
                assertThat(exported.body()).contains("user.login");
            }
            for (String read : reads) {
                assertThat(send(service, "GET", read, key, null).statusCode()).as("after the lock: " + read).isEqualTo(200);
            }
            log = service.log();
        } finally {
            TestDatabase.get().dropScratch("readtimeout");
        }
        assertThat(log).contains("query.statementTimeout", "org.jdbi").doesNotContain(secret);
    }

    private static HttpResponse<String> send(ServiceProcess service, String method, String path, String key, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }
}
