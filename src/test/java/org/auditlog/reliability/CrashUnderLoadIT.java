package org.auditlog.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.support.Results;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * 16 clients ingest for 60 s while the service is killed with SIGKILL and started again, twice.
 * Clients resend what got no answer with the same idempotency key. Every acknowledged event must be
 * stored exactly once, and the chain must verify.
 */
class CrashUnderLoadIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void everyAcknowledgedEventSurvivesTwoKillsExactlyOnce() throws Exception {
        String url = TestDatabase.get().scratch("crash");
        Path data = Files.createTempDirectory("crash");
        String key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        AtomicBoolean running = new AtomicBoolean(true);
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger resent = new AtomicInteger();
        ServiceProcess[] service = {ServiceProcess.start("crash-1", url, data, "scheduling.enabled=false")};
        ExecutorService clients = Executors.newFixedThreadPool(16);
        for (int c = 0; c < 16; c++) {
            int client = c;
            clients.submit(() -> {
                int n = 0;
                while (running.get()) {
                    String idempotencyKey = "c" + client + "-" + n++;
                    boolean done = false;
                    while (!done && running.get()) {
                        sent.incrementAndGet();
                        try {
                            var reply = HTTP.send(HttpRequest.newBuilder(URI.create(service[0].baseUrl() + "/api/v1/events"))
                                    .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + key)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"crash.load\", \"actor\": {\"id\": \"c"
                                            + client + "\"}, \"idempotencyKey\": \"" + idempotencyKey + "\"}"))
                                    .build(), HttpResponse.BodyHandlers.discarding());
                            if (reply.statusCode() == 201 || reply.statusCode() == 200) {
                                acknowledged.add(idempotencyKey);
                                done = true;
                            }
                        } catch (Exception e) {
                            // the service is down: resend with the same key
                        }
                        if (!done) {
                            resent.incrementAndGet();
                            Thread.sleep(100);
                        }
                    }
                }
                return null;
            });
        }
        long start = System.currentTimeMillis();
        for (int kill = 1; kill <= 2; kill++) {
            Thread.sleep(15_000);
            service[0].process().destroyForcibly().waitFor();
            service[0] = ServiceProcess.start("crash-" + (kill + 1), url, data, "scheduling.enabled=false");
        }
        Thread.sleep(Math.max(0, 60_000 - (System.currentTimeMillis() - start)));
        running.set(false);
        clients.shutdown();
        clients.awaitTermination(60, TimeUnit.SECONDS);
        try {
            var verify = HTTP.send(HttpRequest.newBuilder(URI.create(service[0].baseUrl() + "/api/v1/integrity/verify"))
                    .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
            boolean chainOk = TestApp.JSON.readTree(verify.body()).get("ok").asBoolean();
            long stored = TestDatabase.count(url, "select count(*) from audit_events where action = 'crash.load'");
            long storedAcknowledged = TestDatabase.count(url, "select count(*) from audit_events where action = 'crash.load' "
                    + "and idempotency_key = any(array[" + String.join(",", acknowledged.stream().map(k -> "'" + k + "'").toList()) + "])");
            long duplicates = TestDatabase.count(url, "select count(*) from (select idempotency_key from audit_events where action = 'crash.load' "
                    + "group by idempotency_key having count(*) > 1) d");
            Map<String, Object> result = new java.util.LinkedHashMap<>();
            result.put("clients", 16);
            result.put("seconds", 60);
            result.put("kills", 2);
            result.put("requestsSent", sent.get());
            result.put("resent", resent.get());
            result.put("acknowledged", acknowledged.size());
            result.put("stored", stored);
            result.put("acknowledgedStored", storedAcknowledged);
            result.put("lost", acknowledged.size() - storedAcknowledged);
            result.put("duplicates", duplicates);
            result.put("chainVerifies", chainOk);
            Results.write("crash-under-load", result);
            assertThat(acknowledged).hasSizeGreaterThan(100);
            assertThat(storedAcknowledged).as("acknowledged events stored").isEqualTo(acknowledged.size());
            assertThat(duplicates).as("events stored twice").isZero();
            assertThat(chainOk).as("chain verifies: " + verify.body()).isTrue();
        } finally {
            service[0].stop();
            TestDatabase.get().dropScratch("crash");
        }
    }

}
