package org.auditlog.common;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class OperationsBasicsTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void echoesTheRequestIdOrMakesOne() {
        var echoed = APP.send(APP.request("/api/v1/events/x", null).header("X-Request-Id", "req-abc.123").GET());
        assertThat(echoed.header("X-Request-Id")).isEqualTo("req-abc.123");
        var generated = APP.get("/api/v1/keys", null);
        assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        var junk = APP.send(APP.request("/api/v1/keys", null).header("X-Request-Id", "a b\tc").GET());
        assertThat(junk.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        assertThat(APP.get(APP.adminUrl() + "/healthcheck", null).header("X-Request-Id")).isNotBlank();
    }

    @Test
    void healthcheckHasADatabaseCheck() {
        // other tests break chains on purpose, so only the database entry is asserted here
        var health = APP.get(APP.adminUrl() + "/healthcheck", null);
        assertThat(health.json().get("database").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void metricsShowIngestTimers() {
        String key = APP.createKey(TestApp.newTenant("metrics"), "ingest");
        APP.post("/api/v1/events", key, Map.of("action", "a.b", "actor", Map.of("id", "a")));
        var metrics = APP.get(APP.adminUrl() + "/metrics", null);
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("ingest.single", "ingest.commit.requests", "database", "export.rows",
                "auth.rate-limited", "alerts.fired", "retention.events.deleted");
        // the service's own alerts watch these
        assertThat(metrics.body()).contains("io.dropwizard.jetty.MutableServletContextHandler.requests",
                "io.dropwizard.jetty.MutableServletContextHandler.5xx-responses",
                "io.dropwizard.db.ManagedPooledDataSource.database.active");
    }

    @Test
    void frameworkErrorsUseTheErrorShapeToo() {
        String key = APP.createKey(TestApp.newTenant("errors"), "admin");
        var unknownPath = APP.get("/api/v1/nothing-here", key);
        assertThat(unknownPath.status()).isEqualTo(404);
        assertThat(unknownPath.json().get("code").asInt()).isEqualTo(404);
        var wrongMethod = APP.send(APP.request("/api/v1/keys", key).PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.json().get("code").asInt()).isEqualTo(405);
    }

    @Test
    void encodedSeparatorsInIdsGetTheApiAnswerAndTheConnectionStaysOpen() {
        String key = APP.createKey(TestApp.newTenant("encoded-ids"), "admin");
        String bigBody = "{\"retainDays\": \"" + "x".repeat(70_000) + "\"}";
        for (String id : List.of("a%2Fb", "..%2F..%2Fetc%2Fpasswd", "a%5Cb", "x%25", "%2e%2e")) {
            var put = APP.send(APP.request("/api/v1/retention/policies/" + id, key)
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(bigBody)));
            var delete = APP.delete("/api/v1/retention/holds/" + id, key);
            for (var reply : List.of(put, delete)) {
                // answered by the API like any unknown id, not refused by Jetty with a bare 400
                assertThat(reply.status()).as(id).isIn(404, 413, 422);
                assertThat(reply.json().get("code").asInt()).as(id).isEqualTo(reply.status());
                assertThat(reply.headers()).as(id).doesNotContainEntry("connection", List.of("close"));
            }
        }
        // what Jetty itself refuses still answers in the error shape, whatever the method
        for (var reply : List.of(APP.delete("/api/v1/retention/holds/a%00b", key),
                APP.send(APP.request("/api/v1/retention/policies/a%00b", key).header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"retainDays\": 3}"))))) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().get("code").asInt()).isEqualTo(400);
            assertThat(reply.header("X-Request-Id")).matches("[0-9a-f-]{36}");
        }
    }

    @Test
    void logLinesOfARequestCarryItsIdAndNeverTheKey() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            String admin = APP.createKey(TestApp.newTenant("logs"), "admin");
            var created = APP.send(APP.request("/api/v1/keys", admin)
                    .header("X-Request-Id", "log-check-1")
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\": \"logged\", \"roles\": [\"auditor\"]}")));
            assertThat(created.status()).isEqualTo(201);
            String secret = created.json().get("key").asText();
            List<ILoggingEvent> lines = List.copyOf(captured.list);
            assertThat(lines).filteredOn(e -> e.getFormattedMessage().contains("API key created") && e.getFormattedMessage().contains("name=logged"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("requestId", "log-check-1"));
            assertThat(lines).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(secret));
            assertThat(lines).noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains(admin));
        } finally {
            root.detachAppender(captured);
        }
    }
}
