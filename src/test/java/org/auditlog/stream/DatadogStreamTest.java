package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.auditlog.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

/** Delivery of datadog streams to a real loopback logs intake, from the service as the tests run it. */
class DatadogStreamTest {
    private static final TestApp APP = TestApp.get();
    static final String API_KEY = "0123456789abcdef-api-key-never-shown";

    static Map<String, Object> datadog(String name, WebhookReceiver receiver) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", "datadog");
        body.put("format", "native");
        body.put("url", "http://127.0.0.1:" + receiver.port());
        body.put("apiKey", API_KEY);
        return body;
    }

    /** Every log entry received, in the order received, each request's key, path and body checked. */
    private static List<JsonNode> entries(WebhookReceiver receiver) throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (WebhookReceiver.Received request : receiver.received()) {
            assertThat(request.path()).isEqualTo("/api/v2/logs");
            assertThat(request.header("DD-API-KEY")).isEqualTo(API_KEY);
            assertThat(request.header("Content-Type")).startsWith("application/json");
            JsonNode array = TestApp.JSON.readTree(request.body());
            assertThat(array.isArray()).isTrue();
            array.forEach(entries::add);
        }
        return entries;
    }

    @Test
    void entriesArriveWithTheApiKeyInSeqOrder() throws Exception {
        StreamTenant t = StreamTenant.create("dd-all");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(202);
            String id = t.stream(datadog("datadog", receiver));
            t.ingest(600, "doc.created");
            t.delivered(id);
            List<JsonNode> entries = entries(receiver);
            List<Long> seqs = new ArrayList<>();
            for (JsonNode entry : entries) {
                seqs.add(TestApp.JSON.readTree(entry.get("message").asText()).get("seq").asLong());
            }
            assertThat(seqs).isEqualTo(StreamDeliveryTest.storedSeqs(t.name()));
            JsonNode first = entries.get(0);
            assertThat(first.get("ddsource").asText()).isEqualTo("audit-service");
            assertThat(first.get("service").asText()).isEqualTo("audit-service");
            assertThat(first.get("ddtags").asText()).isEqualTo("tenant:" + t.name() + ",format:native");
            assertThat(receiver.received()).hasSizeGreaterThan(1);
            assertThat(APP.get("/api/v1/streams/" + id, t.key()).body()).doesNotContain(API_KEY);
        }
    }

    @Test
    void throttledBatchesAreSentAgainAndDeliveredOnceAccepted() throws Exception {
        StreamTenant t = StreamTenant.create("dd-429");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(429);
            String id = t.stream(datadog("datadog", receiver));
            t.ingest(5, "doc.created");
            TestApp.eventually("a throttled attempt", () -> t.status(id).get("attempts").asInt() >= 1);
            assertThat(t.status(id).get("lastError").asText()).isEqualTo("Datadog answered 429");
            assertThat(t.status(id).get("deliveredThroughSeq").asLong()).isLessThan(t.head());
            receiver.answer(202);
            t.delivered(id);
            assertThat(t.status(id).get("state").asText()).isEqualTo("active");
        }
    }

    @Test
    void aRefusedApiKeyPausesTheStreamAtOnceWithoutShowingTheKey() throws Exception {
        StreamTenant t = StreamTenant.create("dd-403");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(403);
            String id = t.stream(datadog("datadog", receiver));
            t.ingest(2, "doc.created");
            TestApp.eventually("the stream pauses itself", () -> t.status(id).get("state").asText().equals("paused"));
            JsonNode status = t.status(id);
            assertThat(status.get("attempts").asInt()).isEqualTo(1);
            assertThat(receiver.received()).hasSize(1);
            assertThat(status.get("lastError").asText()).contains("403").contains("apiKey").doesNotContain(API_KEY);
            assertThat(status.get("pausedReason").asText()).contains("403").doesNotContain(API_KEY);
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheFieldWithoutTheKey() {
        String key = APP.createKey(TestApp.newTenant("dd-bad"), "admin");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            var body = datadog("s", receiver);
            body.put("url", "ftp://http-intake.logs.datadoghq.com");
            StreamsApiTest.problem(APP.post("/api/v1/streams", key, body), "url");
            body = datadog("s", receiver);
            body.remove("url");
            StreamsApiTest.problem(APP.post("/api/v1/streams", key, body), "url");
            body = datadog("s", receiver);
            body.remove("apiKey");
            StreamsApiTest.problem(APP.post("/api/v1/streams", key, body), "apiKey");
            body.put("apiKey", "0123456789");
            var reply = APP.post("/api/v1/streams", key, body);
            StreamsApiTest.problem(reply, "apiKey");
            assertThat(reply.body()).doesNotContain("0123456789\"");
            body = datadog("s", receiver);
            body.put("token", API_KEY);
            assertThat(StreamsApiTest.problem(APP.post("/api/v1/streams", key, body), "token").get("error").asText())
                    .isEqualTo("unknown field");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
