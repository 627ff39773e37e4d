package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.support.HecReceiver;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** Delivery of splunk-hec streams to a real loopback HEC over HTTPS, from the service as the tests run it. */
class SplunkHecStreamTest {
    private static final TestApp APP = TestApp.get();
    static final String TOKEN = "6f2b1c4e-hec-token-never-shown-back";

    static Map<String, Object> hec(String name, String format, HecReceiver receiver) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", "splunk-hec");
        body.put("format", format);
        body.put("url", receiver.url());
        body.put("token", TOKEN);
        body.put("caCertificate", HecReceiver.caPem());
        return body;
    }

    @Test
    void nativeEventsArriveInSeqOrderAsHecEnvelopesOverHttpsTrustingTheGivenCa() throws Exception {
        StreamTenant t = StreamTenant.create("hec-all");
        t.ingest(3, "doc.read");
        try (HecReceiver receiver = new HecReceiver(TOKEN, false)) {
            var body = hec("splunk", "native", receiver);
            body.put("index", "audit_trail");
            String id = t.stream(body);
            t.ingest(600, "doc.created");
            t.delivered(id);
            List<JsonNode> envelopes = receiver.envelopes();
            assertThat(envelopes.stream().map(e -> e.get("event").get("seq").asLong()).toList())
                    .isEqualTo(StreamDeliveryTest.storedSeqs(t.name()));
            JsonNode first = envelopes.get(0);
            assertThat(first.get("source").asText()).isEqualTo("audit-service");
            assertThat(first.get("sourcetype").asText()).isEqualTo("audit:native");
            assertThat(first.get("index").asText()).isEqualTo("audit_trail");
            assertThat(first.get("event").get("tenant").asText()).isEqualTo(t.name());
            assertThat(first.get("time").isNumber()).isTrue();
            assertThat(first.get("time").decimalValue().movePointRight(3).longValueExact())
                    .isEqualTo(Instant.parse(first.get("event").get("occurredAt").asText()).toEpochMilli());
            assertThat(receiver.batches()).hasSizeGreaterThan(1).allSatisfy(b -> assertThat(b.channel()).isEqualTo(id));
            assertThat(receiver.refusedTokens()).isZero();

            var shown = APP.get("/api/v1/streams/" + id, t.key());
            assertThat(shown.json().get("index").asText()).isEqualTo("audit_trail");
            assertThat(shown.json().get("url").asText()).isEqualTo(receiver.url());
            assertThat(shown.body()).doesNotContain(TOKEN);
        }
    }

    @Test
    void withIndexerAcknowledgementTheCursorMovesOnlyOnceTheIndexerConfirmed() throws Exception {
        StreamTenant t = StreamTenant.create("hec-ack");
        try (HecReceiver receiver = new HecReceiver(TOKEN, true)) {
            receiver.withholdAcks(true);
            String id = t.stream(hec("splunk", "native", receiver));
            long start = t.status(id).get("deliveredThroughSeq").asLong();
            t.ingest(5, "doc.created");
            TestApp.eventually("an attempt that was not confirmed", () -> t.status(id).get("attempts").asInt() >= 1);
            JsonNode waiting = t.status(id);
            assertThat(receiver.envelopes()).isNotEmpty();
            assertThat(receiver.ackQueries()).isGreaterThan(1);
            assertThat(waiting.get("deliveredThroughSeq").asLong()).isEqualTo(start);
            assertThat(waiting.get("lastError").asText()).contains("did not confirm indexing");
            assertThat(waiting.get("state").asText()).isEqualTo("active");

            receiver.withholdAcks(false);
            t.delivered(id);
            assertThat(t.status(id).get("attempts").asInt()).isZero();
            assertThat(receiver.batches()).allSatisfy(b -> assertThat(b.channel()).isEqualTo(id));
        }
    }

    @Test
    void aRefusedTokenPausesTheStreamAtOnceWithoutShowingTheToken() throws Exception {
        StreamTenant t = StreamTenant.create("hec-token");
        try (HecReceiver receiver = new HecReceiver("another-token-of-the-hec", false)) {
            String id = t.stream(hec("splunk", "native", receiver));
            t.ingest(2, "doc.created");
            TestApp.eventually("the stream pauses itself", () -> t.status(id).get("state").asText().equals("paused"));
            JsonNode status = t.status(id);
            assertThat(status.get("attempts").asInt()).isEqualTo(1);
            assertThat(receiver.refusedTokens()).isEqualTo(1);
            assertThat(status.get("lastError").asText()).contains("401").contains("invalid token").doesNotContain(TOKEN);
            assertThat(status.get("pausedReason").asText()).contains("token").doesNotContain(TOKEN);
            assertThat(status.get("deliveredThroughSeq").asLong()).isLessThan(t.head());
        }
    }

    @Test
    void dataTheHecRejectsPausesTheStreamAtOnceAndAFixedStreamDeliversItAfterResume() throws Exception {
        StreamTenant t = StreamTenant.create("hec-index");
        try (HecReceiver receiver = new HecReceiver(TOKEN, false)) {
            Map<String, Object> body = hec("splunk", "native", receiver);
            body.put("index", "no_such_index");
            String id = t.stream(body);
            t.ingest(4, "doc.created");
            TestApp.eventually("the stream pauses itself", () -> t.status(id).get("state").asText().equals("paused"));
            JsonNode status = t.status(id);
            assertThat(status.get("attempts").asInt()).isEqualTo(1);
            assertThat(status.get("lastError").asText()).contains("400").contains("incorrect index");
            assertThat(status.get("deliveredThroughSeq").asLong()).isLessThan(t.head());
            assertThat(receiver.envelopes()).isEmpty();

            body.put("index", "main");
            body.remove("token"); // kept
            var changed = APP.send(APP.request("/api/v1/streams/" + id, t.key()).header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(StreamsApiTest.json(body))));
            assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
            assertThat(APP.post("/api/v1/streams/" + id + "/resume", t.key(), "").status()).isEqualTo(200);
            t.delivered(id);
            assertThat(receiver.envelopes().stream().map(e -> e.get("event").get("seq").asLong()).toList())
                    .isEqualTo(StreamDeliveryTest.storedSeqs(t.name()));
        }
    }

    @Test
    void aBusyHecIsTriedAgainAndGetsEveryEventLater() throws Exception {
        StreamTenant t = StreamTenant.create("hec-busy");
        try (HecReceiver receiver = new HecReceiver(TOKEN, true)) {
            receiver.busy(2);
            String id = t.stream(hec("splunk", "native", receiver));
            t.ingest(10, "doc.created");
            t.delivered(id);
            assertThat(receiver.busyAnswers()).isEqualTo(2);
            assertThat(receiver.envelopes().stream().map(e -> e.get("event").get("seq").asLong()).toList())
                    .isEqualTo(StreamDeliveryTest.storedSeqs(t.name()));
            assertThat(t.status(id).get("state").asText()).isEqualTo("active");
        }
    }

    @Test
    void ocsfEventsAreObjectsAndCefLinesAreStringsEachWithItsSourcetype() throws Exception {
        StreamTenant t = StreamTenant.create("hec-formats");
        try (HecReceiver receiver = new HecReceiver(TOKEN, false)) {
            var ocsfBody = hec("ocsf", "ocsf", receiver);
            ocsfBody.put("filters", Map.of("action", "user.*"));
            String ocsf = t.stream(ocsfBody);
            var cefBody = hec("cef", "cef", receiver);
            cefBody.put("filters", Map.of("action", "user.*"));
            String cef = t.stream(cefBody);
            t.ingest(4, "user.login");
            t.delivered(ocsf);
            t.delivered(cef);
            List<JsonNode> envelopes = receiver.envelopes();
            assertThat(envelopes.stream().filter(e -> e.get("sourcetype").asText().equals("audit:ocsf")))
                    .hasSize(4).allSatisfy(e -> assertThat(e.get("event").get("class_uid").isInt()).isTrue());
            assertThat(envelopes.stream().filter(e -> e.get("sourcetype").asText().equals("audit:cef")))
                    .hasSize(4).allSatisfy(e -> assertThat(e.get("event").asText()).startsWith("CEF:0|")
                            .contains("|user.login|"));
            assertThat(envelopes).noneMatch(e -> e.has("index"));
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheFieldWithoutTheToken() throws Exception {
        String key = APP.createKey(TestApp.newTenant("hec-bad"), "admin");
        try (HecReceiver receiver = new HecReceiver(TOKEN, false)) {
            var body = hec("s", "native", receiver);
            body.put("url", "ftp://splunk.example/");
            StreamsApiTest.problem(APP.post("/api/v1/streams", key, body), "url");
            body = hec("s", "native", receiver);
            body.remove("token");
            StreamsApiTest.problem(APP.post("/api/v1/streams", key, body), "token");
            body.put("token", "short");
            var reply = APP.post("/api/v1/streams", key, body);
            StreamsApiTest.problem(reply, "token");
            assertThat(reply.body()).doesNotContain("short\"");
            for (String index : List.of("_internal", "-x", "Main", "a b", "", "x".repeat(81))) {
                body = hec("s", "native", receiver);
                body.put("index", index);
                StreamsApiTest.problem(APP.post("/api/v1/streams", key, body), "index");
            }
            body = hec("s", "native", receiver);
            body.put("caCertificate", "not a certificate");
            StreamsApiTest.problem(APP.post("/api/v1/streams", key, body), "caCertificate");
            body = hec("s", "native", receiver);
            body.put("apiKey", "0123456789abcdef0123456789abcdef");
            assertThat(StreamsApiTest.problem(APP.post("/api/v1/streams", key, body), "apiKey").get("error").asText())
                    .isEqualTo("unknown field");
        }
    }
}
