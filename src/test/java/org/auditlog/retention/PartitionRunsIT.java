package org.auditlog.retention;

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
import org.auditlog.database.Database;
import org.auditlog.support.BulkEvents;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * A time partition dropped whole, as an operator and a compliance officer see it over HTTP: the packaged
 * service, on a database of its own (a run of every tenant may drop any tenant's old partition), runs
 * the {@code retention-run} task, which answers the run with the partition it dropped; the tenant's
 * runs list it with its {@code partition}; the partition is gone from the database; and what is left
 * of the tenant's chain verifies, from the anchor the partition's receipt moved.
 */
class PartitionRunsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theRetentionTaskDropsAnExpiredPartitionAndTheTenantsRunsNameIt() throws Exception {
        String url = TestDatabase.get().scratch("partitionruns");
        try {
            Path data = Files.createTempDirectory("partitionruns");
            Database.migrate(TestDatabase.owner(url));
            // 500 events received 400 days ago, past the default policy (365 days), alone in their month's partition
            BulkEvents.load(url, "old", 500);
            // their hashes are filler, linked one to the next; the first is made to follow the genesis, as a
            // chain's first event does, so that the receipt the drop signs chains where the verifier starts
            TestApp.tamperAt(url, "update audit_events set prev_hash = decode(repeat('00', 32), 'hex') where tenant = 'old' and seq = 1");
            String partition = text(url, "select name from audit_event_partitions where from_at <= now() - interval '400 days' "
                    + "and to_at > now() - interval '400 days'");
            // its creation is the tenant's event 501, received now, chained after the 500
            String key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "old", "--role", "admin",
                    "--role", "auditor");
            try (var service = ServiceProcess.start("partitionruns", url, data, "scheduling.enabled=false")) {
                HttpResponse<String> task = send(HttpRequest.newBuilder(URI.create(service.adminUrl() + "/tasks/retention-run"))
                        .POST(HttpRequest.BodyPublishers.noBody()));
                assertThat(task.statusCode()).as(task.body()).isEqualTo(200);
                List<JsonNode> dropped = new ArrayList<>();
                TestApp.JSON.readTree(task.body()).get("runs").forEach(run -> {
                    if (run.hasNonNull("partition")) {
                        dropped.add(run);
                    }
                });
                assertThat(dropped).as(task.body()).singleElement().satisfies(run -> {
                    assertThat(run.get("partition").asText()).isEqualTo(partition);
                    assertThat(run.get("deleted").asLong()).isEqualTo(500);
                    assertThat(run.get("eligible").asLong()).isEqualTo(500);
                    assertThat(run.get("held").asLong()).isZero();
                    assertThat(run.get("trigger").asText()).isEqualTo("task");
                });

                JsonNode runs = json(service.baseUrl() + "/api/v1/retention/runs", key).get("runs");
                List<String> partitions = new ArrayList<>();
                runs.forEach(run -> partitions.add(run.path("partition").asText(null)));
                assertThat(partitions).as(runs.toString()).contains(partition);

                assertThat(TestDatabase.count(url, "select count(*) from audit_event_partitions where name = '" + partition + "'"))
                        .as("the partition is detached and dropped").isZero();
                assertThat(TestDatabase.count(url, "select count(*) from retired_partitions where name = '" + partition + "'"))
                        .as("its record of retirement goes with it, once dropped").isZero();
                assertThat(TestDatabase.count(url, "select seq from chain_anchors where tenant = 'old'")).isEqualTo(500);

                JsonNode verified = json(service.baseUrl() + "/api/v1/integrity/verify", key);
                assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
                assertThat(verified.get("fromSeq").asLong()).as(verified.toString()).isEqualTo(501);
            }
        } finally {
            TestDatabase.get().dropScratch("partitionruns");
        }
    }

    private static JsonNode json(String uri, String key) throws Exception {
        HttpResponse<String> reply = send(HttpRequest.newBuilder(URI.create(uri)).header("Authorization", "Bearer " + key).GET());
        assertThat(reply.statusCode()).as(uri + " -> " + reply.body()).isEqualTo(200);
        return TestApp.JSON.readTree(reply.body());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String text(String url, String sql) throws Exception {
        try (var connection = java.sql.DriverManager.getConnection(url, "postgres", "");
             var statement = connection.createStatement(); var rs = statement.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
