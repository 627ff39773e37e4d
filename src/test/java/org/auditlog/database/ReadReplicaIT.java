package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.support.Folders;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.StreamingReplica;
import org.auditlog.support.TestApp;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The packaged service with {@code database.readReplica} pointing at a real streaming replica: queries
 * are served by the replica while it keeps up, and by the primary when it lags past
 * {@code database.maxReplicaLag} or is down, as the {@code replica} health check and the metrics say;
 * a just-ingested event is found by id whatever the replica has replayed.
 */
class ReadReplicaIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void readsGoToTheReplicaWhileItKeepsUpAndToThePrimaryOtherwise() throws Exception {
        Path data = Files.createTempDirectory("replica-patient");
        Path strictData = Files.createTempDirectory("replica-strict");
        List<ServiceProcess> services = new ArrayList<>();
        try (StreamingReplica pair = StreamingReplica.start()) {
            DatabaseConfiguration database = new DatabaseConfiguration();
            database.setUrl(pair.primaryUrl());
            database.setUser("postgres");
            database.setPassword("");
            Database.migrate(database);
            String key = TestApp.createKey(Database.configure(Jdbi.create(pair.primaryUrl(), "postgres", "")),
                    "acme", "admin");
            String replica = "database.readReplica.url=" + pair.replicaUrl();
            // one instance that tolerates a long lag, one that tolerates a second
            var patient = ServiceProcess.start("replica-patient", pair.primaryUrl(), data, replica,
                    "database.readReplica.user=postgres", "database.maxReplicaLag=10 minutes");
            services.add(patient);
            var strict = ServiceProcess.start("replica-strict", pair.primaryUrl(), strictData, replica,
                    "database.readReplica.user=postgres", "database.maxReplicaLag=1 second",
                    "database.migrateOnStart=false");
            services.add(strict);

            String before = ingest(patient, key, "before.pause");
            TestApp.eventually("both instances read from the replica", () -> replicaHealthy(patient) && replicaHealthy(strict));
            TestApp.eventually("the replica has the first event", () -> actions(patient, key).contains("before.pause"));
            assertThat(before).isNotBlank();

            // (1) replay paused, a long lag allowed: the replica answers the query without the new event,
            // and the event is found by id on the primary
            pair.pauseReplay();
            Thread.sleep(500);
            String earlier = ingest(patient, key, "after.pause");
            String after = ingest(patient, key, "after.pause");
            long replicaReads = meter(patient, "database.replica.reads");
            assertThat(actions(patient, key)).contains("before.pause").doesNotContain("after.pause");
            assertThat(meter(patient, "database.replica.reads")).isGreaterThan(replicaReads);
            var found = get(patient.baseUrl() + "/api/v1/events/" + after, key);
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains("after.pause");
            assertThat(replicaHealthy(patient)).isTrue();
            // a streamed export reads the replica too
            replicaReads = meter(patient, "database.replica.reads");
            var export = get(patient.baseUrl() + "/api/v1/exports/stream?format=ndjson", key);
            assertThat(export.statusCode()).isEqualTo(200);
            assertThat(export.body()).contains("before.pause").doesNotContain("after.pause");
            assertThat(meter(patient, "database.replica.reads")).isGreaterThan(replicaReads);

            // (2) with one second allowed, once the lag passes it the primary answers, and the check says why
            TestApp.eventually("the strict instance finds the replica lagging",
                    () -> !replicaHealthy(strict) && replicaMessage(strict).contains("lags"));
            assertThat(replicaMessage(strict)).contains("reads go to the primary");
            long primaryReads = meter(strict, "database.replica.primary-reads");
            assertThat(actions(strict, key)).contains("after.pause");
            assertThat(meter(strict, "database.replica.primary-reads")).isGreaterThan(primaryReads);
            assertThat(gauge(strict, "database.replica.lag-seconds")).isGreaterThan(1.0);

            // a walk begun on the primary (strict) and followed where the replica serves (patient): the
            // replica has not replayed the cursor's snapshot, so the primary answers the later page
            var first = TestApp.JSON.readTree(get(strict.baseUrl() + "/api/v1/events?action=after.pause&limit=1", key).body());
            assertThat(first.get("events").get(0).get("id").asText()).isEqualTo(after);
            String cursor = first.get("nextCursor").asText();
            assertThat(replicaHealthy(patient)).isTrue();
            long patientPrimaryReads = meter(patient, "database.replica.primary-reads");
            var second = get(patient.baseUrl() + "/api/v1/events?action=after.pause&limit=1&cursor="
                    + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8), key);
            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(TestApp.JSON.readTree(second.body()).get("events").get(0).get("id").asText()).isEqualTo(earlier);
            assertThat(meter(patient, "database.replica.primary-reads")).isGreaterThan(patientPrimaryReads);

            // (3) replay resumed: the replica catches up and serves the strict instance again
            pair.resumeReplay();
            TestApp.eventually("the strict instance reads from the replica again", () -> replicaHealthy(strict));
            long again = meter(strict, "database.replica.reads");
            assertThat(actions(strict, key)).contains("after.pause");
            assertThat(meter(strict, "database.replica.reads")).isGreaterThan(again);
            assertThat(actions(patient, key)).contains("after.pause");

            // (4) the replica stopped: queries still answer, from the primary, and the check says it is down
            pair.stopReplica();
            var page = get(patient.baseUrl() + "/api/v1/events?limit=50", key);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("after.pause");
            TestApp.eventually("the check finds the replica down",
                    () -> !replicaHealthy(patient) && replicaMessage(patient).contains("down"));
            assertThat(get(patient.baseUrl() + "/api/v1/events/stats?groupBy=action", key).statusCode()).isEqualTo(200);
        } finally {
            for (ServiceProcess service : services) {
                service.close();
            }
            Folders.delete(data);
            Folders.delete(strictData);
        }
    }

    private static String ingest(ServiceProcess service, String key, String action) throws Exception {
        var reply = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/events"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"" + action + "\", \"actor\": {\"id\": \"alice\"}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);
        return TestApp.JSON.readTree(reply.body()).get("id").asText();
    }

    /** The actions of the first page of the tenant's events. */
    private static List<String> actions(ServiceProcess service, String key) {
        try {
            var reply = get(service.baseUrl() + "/api/v1/events?limit=50", key);
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
            List<String> actions = new ArrayList<>();
            TestApp.JSON.readTree(reply.body()).get("events").forEach(event -> actions.add(event.get("action").asText()));
            return actions;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static HttpResponse<String> get(String url, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode replicaCheck(ServiceProcess service) {
        try {
            return TestApp.JSON.readTree(get(service.adminUrl() + "/healthcheck", null).body()).get("replica");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean replicaHealthy(ServiceProcess service) {
        return replicaCheck(service).get("healthy").asBoolean();
    }

    private static String replicaMessage(ServiceProcess service) {
        return replicaCheck(service).path("message").asText();
    }

    private static JsonNode metrics(ServiceProcess service) throws Exception {
        return TestApp.JSON.readTree(get(service.adminUrl() + "/metrics", null).body());
    }

    private static long meter(ServiceProcess service, String name) throws Exception {
        return metrics(service).get("meters").get(name).get("count").asLong();
    }

    private static double gauge(ServiceProcess service, String name) throws Exception {
        return metrics(service).get("gauges").get(name).get("value").asDouble();
    }
}
