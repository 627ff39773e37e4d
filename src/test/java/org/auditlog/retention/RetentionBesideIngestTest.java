package org.auditlog.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.auditlog.support.BulkEvents;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** A run that deletes 200,000 events goes in bounded steps while the same tenant keeps ingesting. */
class RetentionBesideIngestTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void ingestGoesOnWithoutErrorThroughARunThatDeletes200000Events() throws Exception {
        String tenant = TestApp.newTenant("ret-bulk");
        BulkEvents.load(tenant, 200_000);
        String key = APP.createKey(tenant, "admin");
        APP.send(APP.request("/api/v1/retention/policies/bulk", key).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"retainDays\": 30}")));

        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<int[]>> results = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            int writer = w;
            results.add(writers.submit(() -> {
                int ok = 0;
                int failed = 0;
                while (running.get()) {
                    var reply = APP.post("/api/v1/events", key, Map.of("action", "during.retention",
                            "actor", Map.of("id", "w" + writer), "category", "bulk"));
                    if (reply.status() == 201) {
                        ok++;
                    } else {
                        failed++;
                    }
                }
                return new int[] {ok, failed};
            }));
        }
        Thread.sleep(200);
        JsonNode run;
        try {
            var reply = APP.send(APP.request("/api/v1/retention/runs?dryRun=false", key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            run = reply.json();
        } finally {
            running.set(false);
        }
        int ok = 0;
        int failed = 0;
        for (Future<int[]> result : results) {
            int[] counts = result.get(1, TimeUnit.MINUTES);
            ok += counts[0];
            failed += counts[1];
        }
        writers.shutdown();

        assertThat(run.get("deleted").asLong()).isEqualTo(200_000);
        assertThat(failed).as("ingest requests that failed during the run").isZero();
        assertThat(ok).as("events ingested during the run").isPositive();
        assertThat(TestApp.rows("select count(*) as n from audit_events where tenant = ? and action = 'during.retention'",
                tenant).get(0).get("n")).isEqualTo((long) ok);
        assertThat(TestApp.rows("select seq from chain_anchors where tenant = ?", tenant)).hasSize(1);
    }
}
