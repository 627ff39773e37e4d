package org.auditlog.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.auditlog.outbound.SignedWebhook;
import org.auditlog.support.Folders;
import org.auditlog.support.IngestLoad;
import org.auditlog.support.Results;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.auditlog.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

/**
 * Streams through a crash and an outage, with the packaged service as a process: ingest runs all
 * along; one destination is receiving a batch when the service is killed (SIGKILL) and started again;
 * another destination is down (its port closed) for a minute across that kill. Each must end holding
 * every event of the tenant's chain at least once, in seq order, any copy a copy of the same event.
 */
class StreamCrashIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SECRET = "a-stream-secret-for-the-crash-test";
    private static final Duration DOWN_FOR = Duration.ofSeconds(60);

    private static JsonNode call(String method, String url, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> reply = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(reply.statusCode()).as(reply.body()).isBetween(200, 299);
        return TestApp.JSON.readTree(reply.body());
    }

    private static String stream(ServiceProcess service, String key, String name, String url) throws Exception {
        String body = TestApp.JSON.writeValueAsString(Map.of("name", name, "type", "webhook", "format", "native",
                "url", url, "secret", SECRET));
        return call("POST", service.baseUrl() + "/api/v1/streams", key, body).get("id").asText();
    }

    private static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + within.toSeconds() + " s for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aKilledServiceAndADestinationDownForAMinuteLoseNothingAndInventNothing() throws Exception {
        String url = TestDatabase.get().scratch("streamcrash");
        Path data = Files.createTempDirectory("streamcrash");
        String key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        String[] overrides = {"scheduling.enabled=false", "streams.pollInterval=100 milliseconds",
                "streams.batchSize=100", "streams.timeout=2 seconds", "streams.lease=4 seconds",
                "streams.initialBackoff=200 milliseconds", "streams.maxBackoff=3 seconds",
                "streams.lagWarning=10 seconds"};
        ServiceProcess[] service = {ServiceProcess.start("streamcrash-1", url, data, overrides)};
        WebhookReceiver receiving = new WebhookReceiver();
        WebhookReceiver closed = new WebhookReceiver();
        int downPort = closed.port();
        closed.close();
        WebhookReceiver reopened = null;
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            receiving.delay(150); // each batch is held a while before its 2xx: the kill lands inside one
            IngestLoad load = IngestLoad.start(4, "stream.load", key, () -> service[0].baseUrl(), 3);
            String receivingId = stream(service[0], key, "receiving", receiving.url());
            String downId = stream(service[0], key, "down", "http://127.0.0.1:" + downPort + "/hook");
            long downSince = System.nanoTime();
            try {
                await("a few batches received and one being received", Duration.ofSeconds(30),
                        () -> receiving.received().size() >= 5 && receiving.inFlight() > 0);
                service[0].process().destroyForcibly().waitFor();
                int receivedAtKill = receiving.received().size();
                service[0] = ServiceProcess.start("streamcrash-2", url, data, overrides);
                await("deliveries after the restart", Duration.ofSeconds(30),
                        () -> receiving.received().size() > receivedAtKill + 2);

                JsonNode down = call("GET", service[0].baseUrl() + "/api/v1/streams/" + downId, key, null);
                assertThat(down.get("attempts").asInt()).as(down.toString()).isPositive();
                assertThat(down.get("lastError").asText()).contains("could not reach the webhook");
                assertThat(down.get("deliveredThroughSeq").asLong()).isZero();
                await("the streams check naming the down stream", Duration.ofSeconds(20), () -> health(service[0])
                        .path("streams").path("message").asText().contains("lagging: acme/down"));
                JsonNode health = health(service[0]).get("streams");
                assertThat(health.get("healthy").asBoolean()).as("one tenant's dead SIEM fails no health").isTrue();

                Thread.sleep(Math.max(0, DOWN_FOR.toMillis() - Duration.ofNanos(System.nanoTime() - downSince).toMillis()));
            } finally {
                load.stop();
            }
            reopened = new WebhookReceiver(downPort);
            long head = storedSeqs(url).get(storedSeqs(url).size() - 1);
            for (String id : List.of(receivingId, downId)) {
                await("stream " + id + " delivered through the head", Duration.ofSeconds(60), () -> {
                    try {
                        JsonNode status = call("GET", service[0].baseUrl() + "/api/v1/streams/" + id, key, null);
                        return status.get("deliveredThroughSeq").asLong() >= head && status.get("lagEvents").asLong() == 0;
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            List<Long> stored = storedSeqs(url);
            Map<String, Object> first = arrived("receiving", lines(receiving), stored);
            Map<String, Object> second = arrived("down a minute", lines(reopened), stored);
            assertThat((int) first.get("duplicates")).as("the batch received at the kill came again").isPositive();
            result.put("events", stored.size());
            result.put("killedWhileReceiving", first);
            result.put("downForSeconds", DOWN_FOR.toSeconds());
            result.put("downThenBack", second);
            Results.write("stream-crash", result);
        } finally {
            receiving.close();
            if (reopened != null) {
                reopened.close();
            }
            service[0].stop();
            TestDatabase.get().dropScratch("streamcrash");
            Folders.delete(data);
        }
    }

    private static JsonNode health(ServiceProcess service) {
        try {
            HttpResponse<String> reply = HTTP.send(HttpRequest.newBuilder(URI.create(service.adminUrl() + "/healthcheck"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return TestApp.JSON.readTree(reply.body());
        } catch (Exception e) {
            return TestApp.JSON.createObjectNode();
        }
    }

    private static List<Long> storedSeqs(String databaseUrl) throws Exception {
        List<Long> seqs = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "");
             ResultSet rows = connection.createStatement().executeQuery(
                     "select seq from audit_events where tenant = 'acme' order by seq")) {
            while (rows.next()) {
                seqs.add(rows.getLong(1));
            }
        }
        return seqs;
    }

    /** Every event line a receiver got, in the order it got them, each request's signature checked. */
    private static List<JsonNode> lines(WebhookReceiver receiver) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (WebhookReceiver.Received request : receiver.received()) {
            assertThat(request.signature()).isEqualTo(SignedWebhook.signature(SECRET,
                    request.body().getBytes(StandardCharsets.UTF_8)));
            for (String line : request.body().split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(TestApp.JSON.readTree(line));
                }
            }
        }
        return lines;
    }

    /**
     * Checks what a destination got against the stored chain: the first copies of the events, in the
     * order they arrived, are exactly the stored seqs in ascending order; a later copy of an id is the
     * same event (seq and hash); answers how many arrived and how many were copies.
     */
    private static Map<String, Object> arrived(String destination, List<JsonNode> lines, List<Long> stored) {
        Map<String, JsonNode> firstById = new HashMap<>();
        List<Long> firstSeqs = new ArrayList<>();
        int duplicates = 0;
        for (JsonNode line : lines) {
            JsonNode earlier = firstById.putIfAbsent(line.get("id").asText(), line);
            if (earlier == null) {
                firstSeqs.add(line.get("seq").asLong());
            } else {
                duplicates++;
                assertThat(line).as(destination + ": a copy is the same event").isEqualTo(earlier);
            }
        }
        assertThat(firstSeqs).as(destination + ": every stored event, once each, in seq order").isEqualTo(stored);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("linesReceived", lines.size());
        figures.put("duplicates", duplicates);
        return figures;
    }
}
