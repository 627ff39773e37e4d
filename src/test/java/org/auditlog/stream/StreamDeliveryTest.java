package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.auditlog.outbound.SignedWebhook;
import org.auditlog.support.TestApp;
import org.auditlog.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

/** Delivery of webhook streams to a real loopback receiver, from the service as the tests run it. */
class StreamDeliveryTest {
    private static final TestApp APP = TestApp.get();

    /** Every event line received, in the order received, each request's signature checked. */
    private static List<JsonNode> lines(WebhookReceiver receiver) {
        List<JsonNode> lines = new ArrayList<>();
        for (WebhookReceiver.Received request : receiver.received()) {
            if (!request.body().isEmpty()) {
                assertThat(request.signature()).isEqualTo(SignedWebhook.signature(StreamsApiTest.SECRET,
                        request.body().getBytes(StandardCharsets.UTF_8)));
                assertThat(request.body()).endsWith("\n");
                for (String line : request.body().split("\n")) {
                    try {
                        lines.add(TestApp.JSON.readTree(line));
                    } catch (Exception e) {
                        throw new AssertionError("not JSON: " + line, e);
                    }
                }
            }
        }
        return lines;
    }

    private static List<Long> seqs(List<JsonNode> lines) {
        return lines.stream().map(l -> l.get("seq").asLong()).toList();
    }

    /** The tenant's stored seqs, in order: what a stream without filters delivers. */
    static List<Long> storedSeqs(String tenant) {
        return TestApp.rows("select seq from audit_events where tenant = ? order by seq", tenant).stream()
                .map(r -> ((Number) r.get("seq")).longValue()).toList();
    }

    @Test
    void everyEventArrivesSignedInSeqOrderAsNdjsonAndTheCursorReachesTheHead() throws Exception {
        StreamTenant t = StreamTenant.create("stream-all");
        t.ingest(3, "doc.read");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String id = t.stream(StreamsApiTest.webhook("siem", receiver.url()));
            t.ingest(600, "doc.created");
            t.ingest(600, "doc.created");
            t.delivered(id);
            List<JsonNode> lines = lines(receiver);
            assertThat(seqs(lines)).isEqualTo(storedSeqs(t.name()));
            assertThat(lines.get(0).get("tenant").asText()).isEqualTo(t.name());
            assertThat(lines.get(0).has("hash")).isTrue();
            JsonNode status = t.status(id);
            assertThat(status.get("deliveredThroughHash").asText()).isEqualTo(lines.get(lines.size() - 1).get("hash").asText());
            assertThat(status.get("lastDeliveredAt").isNull()).isFalse();
            assertThat(receiver.received().size()).isGreaterThan(2); // batches of at most 500
        }
    }

    @Test
    void aFilteredStreamSendsOnlyItsMatchesYetItsCursorFollowsTheWholeChain() {
        StreamTenant t = StreamTenant.create("stream-filter");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            var body = StreamsApiTest.webhook("logins", receiver.url());
            body.put("filters", Map.of("action", "user.*"));
            body.put("format", "cef");
            String id = t.stream(body);
            t.ingest(5, "doc.read");
            t.ingest(2, "user.login");
            t.ingest(5, "doc.read");
            t.delivered(id);
            List<String> lines = receiver.received().stream().flatMap(r -> List.of(r.body().split("\n")).stream())
                    .filter(l -> !l.isEmpty()).toList();
            assertThat(lines).hasSize(2).allSatisfy(l -> assertThat(l).startsWith("CEF:0|").contains("|user.login|"));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theCursorMovesOnlyAfterA2xxSoAFailedBatchIsSentAgainAndNothingIsLost() throws Exception {
        StreamTenant t = StreamTenant.create("stream-retry");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(500);
            String id = t.stream(StreamsApiTest.webhook("siem", receiver.url()));
            t.ingest(20, "doc.created");
            TestApp.eventually("a failed attempt", () -> t.status(id).get("attempts").asInt() >= 1);
            JsonNode failing = t.status(id);
            assertThat(failing.get("lastError").asText()).isEqualTo("the webhook answered 500");
            assertThat(failing.get("deliveredThroughSeq").asLong()).isLessThan(t.head());
            receiver.answer(200);
            t.delivered(id);
            List<JsonNode> lines = lines(receiver);
            Set<Long> distinct = new LinkedHashSet<>(seqs(lines));
            assertThat(List.copyOf(distinct)).isEqualTo(storedSeqs(t.name()));
            // duplicates are whole events again, the same id for the same seq
            Map<Long, String> ids = new java.util.HashMap<>();
            lines.forEach(l -> assertThat(ids.computeIfAbsent(l.get("seq").asLong(), s -> l.get("id").asText()))
                    .isEqualTo(l.get("id").asText()));
            assertThat(t.status(id).get("attempts").asInt()).isZero();
        }
    }

    @Test
    void aPausedStreamSendsNothingUntilResumedAndAReplaySendsAgainFromTheSeqAsked() throws Exception {
        StreamTenant t = StreamTenant.create("stream-pause");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String id = t.stream(StreamsApiTest.webhook("siem", receiver.url()));
            t.ingest(5, "doc.created");
            t.delivered(id);
            assertThat(APP.post("/api/v1/streams/" + id + "/pause", t.key(), "").status()).isEqualTo(200);
            int before = lines(receiver).size();
            t.ingest(5, "doc.created");
            Thread.sleep(600);
            assertThat(lines(receiver)).hasSize(before);
            assertThat(APP.post("/api/v1/streams/" + id + "/resume", t.key(), "").status()).isEqualTo(200);
            t.delivered(id);
            assertThat(new LinkedHashSet<>(seqs(lines(receiver)))).containsExactlyElementsOf(storedSeqs(t.name()));

            int sent = lines(receiver).size();
            var replay = APP.post("/api/v1/streams/" + id + "/replay?fromSeq=3", t.key(), "");
            assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
            t.delivered(id);
            List<Long> again = seqs(lines(receiver)).subList(sent, lines(receiver).size());
            assertThat(again.get(0)).isEqualTo(3);
            assertThat(again).isSorted().contains(3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L);
        }
    }

    @Test
    void aDestinationFailingPastPauseAfterPausesItselfAndTheHealthCheckNamesIt() throws Exception {
        StreamTenant t = StreamTenant.create("stream-dead");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(503);
            String id = t.stream(StreamsApiTest.webhook("dead-siem", receiver.url()));
            t.ingest(3, "doc.created");
            TestApp.eventually("the stream pauses itself", () -> t.status(id).get("state").asText().equals("paused"));
            JsonNode status = t.status(id);
            assertThat(status.get("pausedReason").asText()).contains("failing since").contains("503");
            assertThat(status.get("attempts").asInt()).isGreaterThan(1);
            int attempts = receiver.received().size();
            Thread.sleep(500);
            assertThat(receiver.received()).hasSize(attempts);
            TestApp.eventually("the health check names it", () -> {
                JsonNode health = APP.get(APP.adminUrl() + "/healthcheck", null).json().get("streams");
                return health.get("healthy").asBoolean()
                        && health.get("message").asText().contains(t.name() + "/dead-siem");
            });
            assertThat(APP.get(APP.adminUrl() + "/healthcheck", null).body()).doesNotContain(StreamsApiTest.SECRET);
            assertThat(APP.get(APP.adminUrl() + "/metrics", null).body()).contains("streams." + id + ".failures")
                    .doesNotContain(StreamsApiTest.SECRET);
            receiver.answer(200);
            assertThat(APP.post("/api/v1/streams/" + id + "/resume", t.key(), "").status()).isEqualTo(200);
            t.delivered(id);
        }
    }

    @Test
    void aSlowDestinationHoldsNoConnectionAndDelaysNoOtherStream() throws Exception {
        StreamTenant slow = StreamTenant.create("stream-slow");
        StreamTenant quick = StreamTenant.create("stream-quick");
        try (WebhookReceiver held = new WebhookReceiver(); WebhookReceiver prompt = new WebhookReceiver()) {
            held.delay(700); // under streams.timeout (1 s in tests): every batch is acknowledged, slowly
            slow.ingest(750, "doc.created"); // three batches
            slow.ingest(750, "doc.created");
            String slowId = slow.stream(StreamsApiTest.webhook("slow-siem", held.url()));
            TestApp.eventually("the slow destination holds a batch", () -> held.inFlight() > 0);
            // while it holds one, no connection of the service waits in a transaction
            List<Map<String, Object>> waiting = TestApp.rows("select pid from pg_stat_activity where datname = "
                    + "current_database() and state like 'idle in transaction%' and now() - state_change > interval '300 ms'");
            assertThat(waiting).isEmpty();

            String quickId = quick.stream(StreamsApiTest.webhook("quick-siem", prompt.url()));
            quick.ingest(5, "doc.created");
            quick.delivered(quickId);
            assertThat(slow.status(slowId).get("lagEvents").asLong()).as("the slow stream is still behind").isPositive();
            slow.delivered(slowId);
            assertThat(new LinkedHashSet<>(seqs(lines(held)))).containsExactlyElementsOf(storedSeqs(slow.name()));
        }
    }
}
