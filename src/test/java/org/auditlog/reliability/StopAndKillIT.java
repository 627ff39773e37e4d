package org.auditlog.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.auditlog.auth.ApiKeyService;
import org.auditlog.auth.KeyAuditTrail;
import org.auditlog.auth.KeyCache;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.integrity.EventHasher;
import org.auditlog.support.BulkEvents;
import org.auditlog.support.Folders;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** What a stop of the jar leaves behind: a graceful one (SIGTERM) and a kill (SIGKILL). */
class StopAndKillIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> call(String method, String url, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A scratch database with the migrations applied and, first, {@code bulk} old events of tenant
     * acme; then an auditor key of acme, made in this process (a command's JVM would cost seconds).
     */
    private static String preparedDatabase(String purpose, int bulk, String[] key) throws Exception {
        Jdbi jdbi = TestDatabase.get().migratedScratch(purpose);
        String url = TestDatabase.get().url() + "_" + purpose;
        if (bulk > 0) {
            BulkEvents.load(url, "acme", bulk);
        }
        var writer = new ChainWriter(jdbi, new EventHasher(TestApp.JSON));
        key[0] = new ApiKeyService(jdbi, new KeyAuditTrail(new AuditTrail(writer)), KeyCache.none())
                .createFromCommand("acme", "test", List.of("auditor")).secret();
        return url;
    }

    /**
     * A background export whose instance is killed (SIGKILL) midway ends {@code failed} after the
     * restart; then, on the restarted instance, a graceful stop (SIGTERM) under queries loses no read
     * record. One scenario, so that the two share the cost of preparing and starting the jar.
     */
    @Test
    void aKilledExportEndsFailedAfterTheRestartAndAGracefulStopLosesNoReadRecord() throws Exception {
        String[] keys = new String[1];
        String url = preparedDatabase("exportkill", 300_000, keys);
        String key = keys[0];
        Path data = Files.createTempDirectory("exportkill");
        String[] overrides = {"scheduling.clusterCheckinInterval=1 second"};
        ServiceProcess service = ServiceProcess.start("exportkill-1", url, data, overrides);
        try {
            var requested = call("POST", service.baseUrl() + "/api/v1/exports", key, "{\"format\": \"csv\"}");
            assertThat(requested.statusCode()).as(requested.body()).isEqualTo(202);
            String id = TestApp.JSON.readTree(requested.body()).get("id").asText();
            Path folder = data.resolve("exports").resolve("acme");
            TestApp.eventually("the export is being written", () -> partFiles(folder) > 0);
            service.process().destroyForcibly().waitFor();
            assertThat(TestDatabase.count(url, "select count(*) from exports where status = 'running' and id = '" + id + "'"))
                    .as("the export was running when the instance was killed").isEqualTo(1);

            service = ServiceProcess.start("exportkill-2", url, data, overrides);
            String statusUrl = service.baseUrl() + "/api/v1/exports/" + id;
            JsonNode[] status = {null};
            TestApp.eventually("the export is no longer running", () -> {
                try {
                    status[0] = TestApp.JSON.readTree(call("GET", statusUrl, key, null).body());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return !status[0].get("status").asText().equals("running");
            });
            assertThat(status[0].get("status").asText()).isEqualTo("failed");
            assertThat(status[0].get("error").asText()).contains("stopped before it finished");
            assertThat(partFiles(folder)).as("the partial file is deleted").isZero();

            everyQueryAnsweredBeforeASigtermIsRecorded(service, url, key);
        } finally {
            service.close();
            TestDatabase.get().dropScratch("exportkill");
            Folders.delete(data);
        }
    }

    /** Four clients query while the service gets SIGTERM: every query answered 200 is in the log. */
    private static void everyQueryAnsweredBeforeASigtermIsRecorded(ServiceProcess service, String url, String key)
            throws Exception {
        AtomicBoolean going = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> answered = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            answered.add(clients.submit(() -> {
                int ok = 0;
                while (going.get()) {
                    try {
                        if (call("GET", service.baseUrl() + "/api/v1/events?limit=1", key, null).statusCode() == 200) {
                            ok++;
                        }
                    } catch (IOException e) {
                        return ok; // the service has gone
                    }
                }
                return ok;
            }));
        }
        Thread.sleep(1500);
        service.stop(); // SIGTERM while the clients keep querying
        going.set(false);
        long ok = 0;
        for (Future<Integer> count : answered) {
            ok += count.get(30, TimeUnit.SECONDS);
        }
        clients.shutdown();
        assertThat(ok).as("queries answered 200").isPositive();
        assertThat(TestDatabase.count(url, "select count(*) from audit_events where tenant = 'acme' "
                + "and category = 'audit_access' and action = 'events.queried'"))
                .as("queries recorded in the log").isEqualTo(ok);
    }

    private static long partFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".part")).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
