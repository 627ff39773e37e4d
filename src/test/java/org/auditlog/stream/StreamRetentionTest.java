package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.auditlog.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

/** Retention beside streams: a blocking stream keeps what it has not delivered; another learns what it lost. */
class StreamRetentionTest {
    private static final TestApp APP = TestApp.get();

    /** A tenant whose seqs 1, 2 and 4 are past a 30-day policy for auth, and 3 is young. */
    private static String[] tenantWithOldEvents(String hint) {
        String name = TestApp.newTenant(hint);
        APP.append(name, List.of(TestApp.draft("auth.a", "auth", 90), TestApp.draft("auth.b", "auth", 80),
                TestApp.draft("general.young", "general", 1), TestApp.draft("auth.c", "auth", 70)));
        String key = APP.createKey(name, "admin");
        var policy = APP.send(APP.request("/api/v1/retention/policies/auth", key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"retainDays\": 30}")));
        assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
        return new String[] {name, key};
    }

    private static long retentionRun(String key) {
        var reply = APP.send(APP.request("/api/v1/retention/runs?dryRun=false", key)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("deleted").asLong();
    }

    private static String stream(String key, String url, boolean blocks) {
        Map<String, Object> body = StreamsApiTest.webhook("siem", url);
        body.put("blocksRetention", blocks);
        var reply = APP.post("/api/v1/streams", key, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    private static void deliveredToHead(String tenant, String key, String id) {
        assertThat(APP.post("/api/v1/streams/" + id + "/resume", key, "").status()).isEqualTo(200);
        TestApp.eventually("the stream delivers through the head", () -> APP.get("/api/v1/streams/" + id, key).json()
                .get("lagEvents").asLong() == 0);
    }

    @Test
    void aBlockingStreamKeepsWhatItHasNotDeliveredUntilItHas() throws Exception {
        String[] t = tenantWithOldEvents("stream-blocks");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(500);
            String id = stream(t[1], receiver.url(), true);
            assertThat(retentionRun(t[1])).isZero();
            assertThat(TestApp.count(t[0])).isGreaterThanOrEqualTo(4);
            receiver.answer(200);
            deliveredToHead(t[0], t[1], id);
            assertThat(retentionRun(t[1])).isEqualTo(3);
        }
    }

    @Test
    void aStreamThatDoesNotBlockRecordsTheSeqsRetentionDeletedBeforeItSentThemAndGoesOn() throws Exception {
        String[] t = tenantWithOldEvents("stream-lost");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(500);
            String id = stream(t[1], receiver.url(), false);
            assertThat(retentionRun(t[1])).isEqualTo(3);
            receiver.answer(200);
            deliveredToHead(t[0], t[1], id);
            JsonNode status = APP.get("/api/v1/streams/" + id, t[1]).json();
            assertThat(status.get("lostSeqs").get("from").asLong()).isEqualTo(1);
            assertThat(status.get("lostSeqs").get("to").asLong()).isEqualTo(4);
            // what was delivered: a batch tried while the receiver refused, before retention ran, was not
            List<Long> seqs = receiver.received().stream().filter(r -> r.status() == 200 && r.body().contains("\n"))
                    .flatMap(r -> List.of(r.body().split("\n")).stream()).map(line -> {
                        try {
                            return TestApp.JSON.readTree(line).get("seq").asLong();
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        }
                    }).distinct().toList();
            assertThat(seqs).contains(3L).doesNotContain(1L, 2L, 4L).isSorted();
        }
    }
}
