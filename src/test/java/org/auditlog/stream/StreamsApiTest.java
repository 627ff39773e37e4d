package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** The streams API through real HTTP: definitions, validation, the secret never shown, tenants apart. */
class StreamsApiTest {
    private static final TestApp APP = TestApp.get();
    static final String SECRET = "a-stream-secret-never-shown-back";

    static Map<String, Object> webhook(String name, String url) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", "webhook");
        body.put("format", "native");
        body.put("url", url);
        body.put("secret", SECRET);
        return body;
    }

    static JsonNode problem(TestApp.Reply reply, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        for (JsonNode detail : reply.json().get("details")) {
            if (detail.get("field").asText().equals(field)) {
                return detail;
            }
        }
        throw new AssertionError("no problem names " + field + ": " + reply);
    }

    @Test
    void anAdminDefinesChangesPausesReplaysAndDeletesAStreamAndEveryChangeIsLoggedWithoutTheSecret() {
        String tenant = TestApp.newTenant("streams-crud");
        String key = APP.createKey(tenant, "admin");
        assertThat(APP.post("/api/v1/events", key, Map.of("action", "user.login", "actor", Map.of("id", "a")))
                .status()).isEqualTo(201);
        Map<String, Object> body = webhook("siem", "http://127.0.0.1:9/hook");
        body.put("format", "ocsf");
        body.put("filters", Map.of("action", "user.*"));
        body.put("blocksRetention", true);
        var created = APP.post("/api/v1/streams", key, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode stream = created.json();
        String id = stream.get("id").asText();
        assertThat(stream.get("type").asText()).isEqualTo("webhook");
        assertThat(stream.get("format").asText()).isEqualTo("ocsf");
        assertThat(stream.get("url").asText()).isEqualTo("http://127.0.0.1:9/hook");
        assertThat(stream.get("filters").get("action").asText()).isEqualTo("user.*");
        assertThat(stream.get("blocksRetention").asBoolean()).isTrue();
        assertThat(stream.get("state").asText()).isEqualTo("active");
        assertThat(stream.has("deliveredThroughSeq")).isTrue();
        assertThat(stream.has("lagEvents")).isTrue();
        assertThat(stream.has("secret")).isFalse();
        assertThat(created.body()).doesNotContain(SECRET);

        assertThat(APP.post("/api/v1/streams", key, body).json().get("details").get(0).get("field").asText())
                .isEqualTo("name");

        var listed = APP.get("/api/v1/streams", key);
        assertThat(listed.json().get("streams")).hasSize(1);
        assertThat(listed.body()).doesNotContain(SECRET);

        Map<String, Object> change = webhook("siem-2", "http://127.0.0.1:9/other");
        change.remove("secret");
        var updated = APP.send(APP.request("/api/v1/streams/" + id, key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(change))));
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().get("name").asText()).isEqualTo("siem-2");
        assertThat(updated.json().get("format").asText()).isEqualTo("native");
        assertThat(TestApp.rows("select secret from streams where id = ?::uuid", id).get(0).get("secret"))
                .isEqualTo(SECRET);

        var paused = APP.post("/api/v1/streams/" + id + "/pause", key, "");
        assertThat(paused.json().get("state").asText()).isEqualTo("paused");
        assertThat(paused.json().get("pausedReason").asText()).startsWith("paused by key:");
        assertThat(APP.post("/api/v1/streams/" + id + "/resume", key, "").json().get("state").asText())
                .isEqualTo("active");

        var replayed = APP.post("/api/v1/streams/" + id + "/replay?fromSeq=1", key, "");
        assertThat(replayed.status()).as(replayed.toString()).isEqualTo(200);
        assertThat(replayed.json().get("deliveredThroughSeq").asLong()).isZero();
        problem(APP.post("/api/v1/streams/" + id + "/replay?fromSeq=0", key, ""), "fromSeq");
        problem(APP.post("/api/v1/streams/" + id + "/replay?fromSeq=999999", key, ""), "fromSeq");
        assertThat(APP.post("/api/v1/streams/" + id + "/replay?fromSeq=x", key, "").status()).isEqualTo(400);

        assertThat(APP.delete("/api/v1/streams/" + id, key).status()).isEqualTo(204);
        assertThat(APP.get("/api/v1/streams/" + id, key).status()).isEqualTo(404);

        var logged = TestApp.rows("select action, metadata::text as metadata from audit_events where tenant = ? "
                + "and category = 'admin' and action like 'stream.%' order by seq", tenant);
        assertThat(logged).extracting(r -> r.get("action")).containsExactly("stream.created", "stream.updated",
                "stream.paused", "stream.resumed", "stream.replayed", "stream.deleted");
        assertThat(logged).allSatisfy(r -> assertThat(String.valueOf(r.get("metadata"))).doesNotContain(SECRET));
    }

    @Test
    void badDefinitionsAreRefusedNamingTheField() {
        String key = APP.createKey(TestApp.newTenant("streams-bad"), "admin");
        Map<String, Object> body = webhook("s", "http://127.0.0.1:9/hook");
        body.put("type", "splunk-hec"); // a webhook's secret is not one of a HEC's settings
        assertThat(problem(APP.post("/api/v1/streams", key, body), "secret").get("error").asText())
                .isEqualTo("unknown field");
        body.put("type", "kafka");
        problem(APP.post("/api/v1/streams", key, body), "type");
        body = webhook("s", "ftp://example.com/");
        problem(APP.post("/api/v1/streams", key, body), "url");
        body = webhook("s", "http://127.0.0.1:9/hook");
        body.put("secret", "short");
        var reply = APP.post("/api/v1/streams", key, body);
        problem(reply, "secret");
        assertThat(reply.body()).doesNotContain("short\"");
        body = webhook("s", "http://127.0.0.1:9/hook");
        body.put("format", "xml");
        problem(APP.post("/api/v1/streams", key, body), "format");
        body = webhook("s", "http://127.0.0.1:9/hook");
        body.put("filters", Map.of("colour", "red"));
        problem(APP.post("/api/v1/streams", key, body), "filters.colour");
        body = webhook("s", "http://127.0.0.1:9/hook");
        body.put("blocksRetention", "yes");
        problem(APP.post("/api/v1/streams", key, body), "blocksRetention");
        body = webhook("", "http://127.0.0.1:9/hook");
        problem(APP.post("/api/v1/streams", key, body), "name");
        body = webhook("s", "http://127.0.0.1:9/hook");
        body.put("extra", 1);
        problem(APP.post("/api/v1/streams", key, body), "extra");
    }

    @Test
    void anotherTenantsStreamIsNotFoundAndOnlyAdminsManageStreams() {
        String key = APP.createKey(TestApp.newTenant("streams-a"), "admin");
        String other = APP.createKey(TestApp.newTenant("streams-b"), "admin");
        String id = APP.post("/api/v1/streams", key, webhook("s", "http://127.0.0.1:9/hook")).json().get("id").asText();
        assertThat(APP.get("/api/v1/streams/" + id, other).status()).isEqualTo(404);
        assertThat(APP.post("/api/v1/streams/" + id + "/pause", other, "").status()).isEqualTo(404);
        assertThat(APP.delete("/api/v1/streams/" + id, other).status()).isEqualTo(404);
        assertThat(APP.get("/api/v1/streams", other).json().get("streams")).isEmpty();
        String auditor = APP.createKey(TestApp.newTenant("streams-c"), "auditor");
        assertThat(APP.get("/api/v1/streams", auditor).status()).isEqualTo(403);
    }

    static String json(Object body) {
        try {
            return TestApp.JSON.writeValueAsString(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
