package org.auditlog.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.auditlog.support.Folders;
import org.auditlog.support.IngestLoad;
import org.auditlog.support.RestartablePostgres;
import org.auditlog.support.Results;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * 16 clients ingest for 45 s while the service's PostgreSQL is stopped, kept down for 5 s and started
 * again, twice; the service itself runs on throughout. While the database is away requests answer
 * 503 (never 500), and clients resend with the same idempotency keys. Afterwards, without a restart
 * of the service: ingest works, the health check is healthy, scheduled jobs run again, every
 * acknowledged event is stored exactly once, and the chain verifies.
 */
class DatabaseRestartIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int CLIENTS = 16;
    private static final long LOAD_MILLIS = 45_000;
    private static final long DOWN_MILLIS = 5_000;
    private static final long[] STOP_AT_MILLIS = {10_000, 27_000};
    private static final String ACTION = "restart.load";

    /**
     * One stop of PostgreSQL: when it began, in ms into the load; how long the server was away (from
     * the stop to answering again); and how long after it answered again a client was acknowledged.
     */
    record Outage(long atMillis, long downMillis, long recoveredAfterMillis) {
    }

    @Test
    void everyAcknowledgedEventSurvivesTwoDatabaseRestartsAndTheServiceRecoversByItself() throws Exception {
        Path data = Files.createTempDirectory("database-restart");
        try (RestartablePostgres postgres = RestartablePostgres.start()) {
            String url = postgres.createDatabase("audit");
            String key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
            try (ServiceProcess service = ServiceProcess.start("database-restart", url, data,
                    "integrity.verificationInterval=3 seconds")) {
                IngestLoad load = IngestLoad.start(CLIENTS, ACTION, key, service::baseUrl, 10);
                List<Outage> outages = new ArrayList<>();
                long start = System.nanoTime();
                Instant lastStart;
                try {
                    for (long stopAt : STOP_AT_MILLIS) {
                        sleepUntil(start, stopAt);
                        outages.add(restart(postgres, load, start));
                    }
                    lastStart = Instant.now();
                    sleepUntil(start, LOAD_MILLIS);
                } finally {
                    load.stop();
                }
                long loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

                var after = post(service.baseUrl() + "/api/v1/events", key,
                        "{\"action\": \"restart.after\", \"actor\": {\"id\": \"after\"}}");
                long healthyAfterMillis = awaitHealthy(service);
                long afterSeq = after.statusCode() == 201 ? TestApp.JSON.readTree(after.body()).get("seq").asLong() : -1;
                boolean jobsRan = awaitScheduledJobsSince(url, lastStart, afterSeq);
                JsonNode chain = load.verifyChain(service.baseUrl());
                IngestLoad.Counts counts = load.counts();
                IngestLoad.Stored stored = load.stored(url);

                Map<String, Object> result = new LinkedHashMap<>();
                result.put("clients", CLIENTS);
                result.put("seconds", loadMillis / 1000);
                result.put("databaseRestarts", outages.size());
                result.put("outages", outages);
                result.putAll(load.figures(stored));
                result.put("ingestAfterwards", after.statusCode());
                result.put("healthyAfterMillis", healthyAfterMillis);
                result.put("scheduledJobsRanAfterwards", jobsRan);
                result.put("chainVerifies", chain.get("ok").asBoolean());
                result.put("serviceRanThroughout", service.process().isAlive());
                Results.write("database-restart", result);

                assertThat(counts.statuses().keySet()).as("statuses seen; the service's log is target/it-logs/database-restart.log")
                        .allMatch(status -> status == 200 || status == 201 || status == 429 || status == 503);
                assertThat(counts.statuses()).as("the clients saw the database away").containsKey(503);
                assertThat(outages).as("a client was acknowledged again after each restart")
                        .allMatch(outage -> outage.recoveredAfterMillis() >= 0);
                assertThat(counts.acknowledged()).as("acknowledged events").isGreaterThan(100);
                assertThat(stored.acknowledgedStored()).as("acknowledged events stored").isEqualTo(counts.acknowledged());
                assertThat(stored.duplicates()).as("events stored twice").isZero();
                assertThat(after.statusCode()).as("ingest after the load: " + after.body()).isEqualTo(201);
                assertThat(healthyAfterMillis).as("healthy within 15 s").isNotNegative();
                assertThat(jobsRan).as("scheduled jobs ran after the last restart").isTrue();
                assertThat(chain.get("ok").asBoolean()).as("chain verifies: " + chain).isTrue();
                assertThat(service.process().isAlive()).as("the service ran on throughout").isTrue();
            }
        } finally {
            Folders.delete(data);
        }
    }

    private static Outage restart(RestartablePostgres postgres, IngestLoad load, long loadStart) throws Exception {
        long stopping = System.nanoTime();
        postgres.stop();
        Thread.sleep(Math.max(0, DOWN_MILLIS - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping)));
        postgres.startAgain();
        long up = System.nanoTime();
        long deadline = up + TimeUnit.SECONDS.toNanos(20);
        long recovered = -1;
        while (System.nanoTime() < deadline) {
            long acknowledged = load.lastAcknowledgedNanos();
            if (acknowledged > up) {
                recovered = TimeUnit.NANOSECONDS.toMillis(acknowledged - up);
                break;
            }
            Thread.sleep(20);
        }
        return new Outage(TimeUnit.NANOSECONDS.toMillis(stopping - loadStart),
                TimeUnit.NANOSECONDS.toMillis(up - stopping), recovered);
    }

    private static void sleepUntil(long start, long millis) throws InterruptedException {
        Thread.sleep(Math.max(0, millis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)));
    }

    /** Milliseconds until {@code /healthcheck} answers 200, or -1 when it did not within 15 s. */
    private static long awaitHealthy(ServiceProcess service) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15)) {
            var health = HTTP.send(HttpRequest.newBuilder(URI.create(service.adminUrl() + "/healthcheck"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            if (health.statusCode() == 200) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(200);
        }
        return -1;
    }

    /**
     * Whether, within 20 s, the scheduler works again on the restarted database: its two frequent
     * jobs (chain verification every 3 s, alert delivery every 5 s) fired after {@code since}, no
     * trigger is in Quartz's ERROR state, and verification checked the chain up to {@code seq}.
     */
    private static boolean awaitScheduledJobsSince(String url, Instant since, long seq) throws InterruptedException {
        long sinceMillis = since.toEpochMilli();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            long fired = TestDatabase.count(url, "select count(*) from qrtz_triggers where trigger_name in "
                    + "('verify-chains', 'deliver-alerts') and prev_fire_time > " + sinceMillis);
            long failed = TestDatabase.count(url, "select count(*) from qrtz_triggers where trigger_state = 'ERROR'");
            long verified = TestDatabase.count(url, "select count(*) from verification_state where tenant = 'acme' "
                    + "and ok and verified_seq >= " + seq + " and checked_at > to_timestamp(" + sinceMillis + " / 1000.0)");
            if (fired == 2 && failed == 0 && verified == 1) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static HttpResponse<String> post(String url, String key, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
