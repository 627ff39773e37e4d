package org.auditlog.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service's real answers against the document: each status is one the document lists for the operation, and
 * each JSON body validates against the schema the document gives for that status (JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1), so a generated client can read what the service sends.
 */
class OpenApiAnswersTest {
    private static final TestApp APP = TestApp.get();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static JsonNode document;
    private static String tenant;
    private static String admin;

    @BeforeAll
    static void start() {
        document = APP.get(OpenApiFeature.PATH, null).json();
        tenant = TestApp.newTenant("openapi-answers");
        admin = APP.createKey(tenant, "admin");
    }

    /** Checks {@code reply} against the operation {@code key} ({@code "POST /api/v1/events"}); answers its body. */
    private static JsonNode conforms(String key, TestApp.Reply reply) {
        String method = key.substring(0, key.indexOf(' ')).toLowerCase();
        String path = key.substring(key.indexOf(' ') + 1);
        JsonNode responses = document.path("paths").path(path).path(method).path("responses");
        assertThat(responses.isMissingNode()).as("the document has %s", key).isFalse();
        String status = Integer.toString(reply.status());
        assertThat(responses.has(status)).as("%s answered %s, which the document does not list: %s", key, status, reply)
                .isTrue();
        JsonNode response = responses.get(status);
        if (response.has("$ref")) {
            String name = response.get("$ref").asText().substring("#/components/responses/".length());
            response = document.path("components").path("responses").path(name);
        }
        JsonNode schema = response.path("content").path("application/json").path("schema");
        if (schema.isMissingNode()) {
            assertThat(reply.body()).as("%s %s has no body in the document", key, status).isEmpty();
            return null;
        }
        var errors = validate(schema, strict(document.get("components")), reply.body());
        assertThat(errors).as("%s %s: %s", key, status, reply.body()).isEmpty();
        return reply.json();
    }

    /** {@code body} as JSON, once it validates against the request body schema of operation {@code key}. */
    private static String request(String key, Object body) {
        String method = key.substring(0, key.indexOf(' ')).toLowerCase();
        String path = key.substring(key.indexOf(' ') + 1);
        JsonNode schema = document.path("paths").path(path).path(method).path("requestBody").path("content")
                .path("application/json").path("schema");
        assertThat(schema.isMissingNode()).as("%s takes a body in the document", key).isFalse();
        try {
            String json = TestApp.JSON.writeValueAsString(body);
            assertThat(validate(schema, document.get("components"), json)).as("%s request %s", key, json).isEmpty();
            return json;
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static List<com.networknt.schema.Error> validate(JsonNode schema, JsonNode components, String json) {
        ObjectNode root = TestApp.JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.setAll((ObjectNode) schema.deepCopy());
        root.set("components", components);
        return SCHEMAS.getSchema(root.toString(), InputFormat.JSON).validate(json, InputFormat.JSON);
    }

    /**
     * The components with every object schema closed to members it does not name (unless it says what others may
     * be), so an answer carrying a member the document lacks fails. A schema that is a part of an {@code allOf} is
     * closed at the {@code allOf} instead, which sees the members of all its parts.
     */
    private static JsonNode strict(JsonNode components) {
        ObjectNode copy = components.deepCopy();
        Set<String> parts = new HashSet<>();
        copy.path("schemas").forEach(schema -> schema.path("allOf").forEach(part -> {
            if (part.has("$ref")) {
                parts.add(part.get("$ref").asText());
            }
        }));
        copy.path("schemas").fields().forEachRemaining(entry -> close(entry.getValue(),
                parts.contains("#/components/schemas/" + entry.getKey())));
        return copy;
    }

    private static void close(JsonNode schema, boolean partOfAllOf) {
        if (!(schema instanceof ObjectNode object)) {
            return;
        }
        boolean open = object.has("additionalProperties") || object.has("unevaluatedProperties");
        if (!partOfAllOf && !open && (object.has("properties") || object.has("allOf"))) {
            object.put("unevaluatedProperties", false);
        }
        object.path("properties").forEach(property -> close(property, false));
        close(object.get("items"), false);
        object.path("allOf").forEach(part -> close(part, true));
    }

    private static TestApp.Reply put(String key, String path, Object body) {
        return APP.send(APP.request(path, admin).PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                request(key, body))).header("Content-Type", "application/json"));
    }

    /** POSTs {@code body} to {@code path}, once it validates against the request body schema of {@code key}. */
    private static TestApp.Reply post(String key, String path, Object body) {
        return APP.post(path, admin, request(key, body));
    }

    private static TestApp.Reply post(String path) {
        return APP.send(APP.request(path, admin).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
    }

    @Test
    void eventsIngestedQueriedAndReadMatchTheirSchemas() {
        Map<String, Object> event = Map.of("action", "user.login", "actor", Map.of("id", "alice", "type", "user"),
                "category", "auth", "outcome", "failure", "source", Map.of("ip", "2001:db8::1"),
                "resource", Map.of("type", "account", "id", "a-1"), "metadata", Map.of("mfa", true),
                "changes", Map.of("before", Map.of("x", 1), "after", Map.of("x", 2)), "idempotencyKey", "login-1");
        String id = conforms("POST /api/v1/events", post("POST /api/v1/events", "/api/v1/events", event)).get("id").asText();
        assertThat(conforms("POST /api/v1/events", post("POST /api/v1/events", "/api/v1/events", event)).get("duplicate").asBoolean())
                .isTrue();
        conforms("POST /api/v1/events/batch", post("POST /api/v1/events/batch", "/api/v1/events/batch", Map.of("events",
                List.of(Map.of("action", "document.read", "actor", Map.of("id", "bob")), event))));
        conforms("GET /api/v1/events", APP.get("/api/v1/events?limit=1", admin));
        conforms("GET /api/v1/events/{id}", APP.get("/api/v1/events/" + id, admin));
        conforms("GET /api/v1/events/stats", APP.get("/api/v1/events/stats?groupBy=action", admin));
        conforms("GET /api/v1/events/stats", APP.get("/api/v1/events/stats?groupBy=hour", admin));
        conforms("GET /api/v1/events/{id}", APP.get("/api/v1/events/" + UUID.randomUUID(), admin));
        conforms("POST /api/v1/events", APP.post("/api/v1/events", admin, Map.of("action", "Not An Action")));
        conforms("GET /api/v1/events", APP.get("/api/v1/events?limit=0", admin));
        conforms("GET /api/v1/events", APP.get("/api/v1/events", null));
    }

    @Test
    void integrityAnswersMatchTheirSchemas() {
        APP.post("/api/v1/events", admin, Map.of("action", "user.login", "actor", Map.of("id", "carol")));
        conforms("GET /api/v1/integrity/verify", APP.get("/api/v1/integrity/verify", admin));
        conforms("GET /api/v1/integrity/checkpoints", APP.get("/api/v1/integrity/checkpoints", admin));
        conforms("GET /api/v1/integrity/keys", APP.get("/api/v1/integrity/keys", admin));
    }

    @Test
    void exportsAndReportsMatchTheirSchemas() {
        APP.post("/api/v1/events", admin, Map.of("action", "user.login", "actor", Map.of("id", "dave")));
        String export = conforms("POST /api/v1/exports", post("POST /api/v1/exports", "/api/v1/exports",
                Map.of("format", "ndjson", "filters", Map.of("actorId", "dave")))).get("id").asText();
        TestApp.eventually("the export is done", () -> "done".equals(
                APP.get("/api/v1/exports/" + export, admin).json().get("status").asText()));
        conforms("GET /api/v1/exports/{id}", APP.get("/api/v1/exports/" + export, admin));
        conforms("GET /api/v1/exports/{id}/manifest", APP.get("/api/v1/exports/" + export + "/manifest", admin));

        String report = conforms("POST /api/v1/reports", post("POST /api/v1/reports", "/api/v1/reports",
                Map.of("from", "2026-01-01T00:00:00Z", "to", "2026-12-31T00:00:00Z"))).get("id").asText();
        conforms("GET /api/v1/reports/{id}", APP.get("/api/v1/reports/" + report, admin));
        conforms("GET /api/v1/reports", APP.get("/api/v1/reports", admin));
        conforms("PUT /api/v1/reports/schedules/{name}", put("PUT /api/v1/reports/schedules/{name}", "/api/v1/reports/schedules/daily",
                Map.of("cron", "0 0 6 * * ?", "period", "previous-day", "recipients", List.of("ciso@example.com"),
                        "filters", Map.of("category", "auth"))));
        conforms("PUT /api/v1/reports/schedules/{name}", put("PUT /api/v1/reports/schedules/{name}", "/api/v1/reports/schedules/daily",
                Map.of("cron", "0 0 7 * * ?", "period", "previous-day", "recipients", List.of("ciso@example.com"))));
        conforms("GET /api/v1/reports/schedules/{name}", APP.get("/api/v1/reports/schedules/daily", admin));
        conforms("GET /api/v1/reports/schedules", APP.get("/api/v1/reports/schedules", admin));
        conforms("DELETE /api/v1/reports/schedules/{name}", APP.delete("/api/v1/reports/schedules/daily", admin));
    }

    @Test
    void retentionAnswersMatchTheirSchemas() {
        conforms("GET /api/v1/retention/policies", APP.get("/api/v1/retention/policies", admin));
        conforms("PUT /api/v1/retention/policies/{category}", put("PUT /api/v1/retention/policies/{category}", "/api/v1/retention/policies/auth",
                Map.of("retainDays", 30)));
        String hold = conforms("POST /api/v1/retention/holds", post("POST /api/v1/retention/holds", "/api/v1/retention/holds",
                Map.of("name", "case 7", "reason", "litigation", "filters", Map.of("actorId", "alice"))))
                .get("id").asText();
        conforms("GET /api/v1/retention/holds", APP.get("/api/v1/retention/holds", admin));
        conforms("DELETE /api/v1/retention/holds/{id}", APP.delete("/api/v1/retention/holds/" + hold, admin));
        conforms("POST /api/v1/retention/runs", post("/api/v1/retention/runs?dryRun=true"));
        conforms("GET /api/v1/retention/runs", APP.get("/api/v1/retention/runs", admin));
    }

    @Test
    void alertingAnswersMatchTheirSchemas() {
        String channel = conforms("POST /api/v1/alerts/channels", post("POST /api/v1/alerts/channels", "/api/v1/alerts/channels",
                Map.of("type", "email", "to", List.of("security@example.com")))).get("id").asText();
        conforms("POST /api/v1/alerts/channels", post("POST /api/v1/alerts/channels", "/api/v1/alerts/channels",
                Map.of("type", "webhook", "url", "https://hooks.example.com/audit", "secret", "a-secret-of-enough-length")));
        conforms("GET /api/v1/alerts/channels", APP.get("/api/v1/alerts/channels", admin));
        conforms("GET /api/v1/alerts/channels/{id}", APP.get("/api/v1/alerts/channels/" + channel, admin));
        Map<String, Object> rule = Map.of("name", "brute force", "filter", Map.of("action", "user.login",
                "outcome", "failure"), "window", "PT5M", "threshold", Map.of("type", "count", "gt", 5),
                "groupBy", "actorId", "severity", "critical", "channels", List.of(channel));
        String ruleId = conforms("POST /api/v1/alerts/rules", post("POST /api/v1/alerts/rules", "/api/v1/alerts/rules", rule))
                .get("id").asText();
        conforms("GET /api/v1/alerts/rules", APP.get("/api/v1/alerts/rules", admin));
        conforms("GET /api/v1/alerts/rules/{id}", APP.get("/api/v1/alerts/rules/" + ruleId, admin));
        conforms("PUT /api/v1/alerts/rules/{id}", put("PUT /api/v1/alerts/rules/{id}", "/api/v1/alerts/rules/" + ruleId, rule));
        conforms("GET /api/v1/alerts", APP.get("/api/v1/alerts", admin));
        conforms("GET /api/v1/alerts/deliveries", APP.get("/api/v1/alerts/deliveries", admin));
        conforms("DELETE /api/v1/alerts/rules/{id}", APP.delete("/api/v1/alerts/rules/" + ruleId, admin));
        conforms("DELETE /api/v1/alerts/channels/{id}", APP.delete("/api/v1/alerts/channels/" + channel, admin));
    }

    @Test
    void streamAnswersMatchTheirSchemas() {
        Map<String, Object> stream = Map.of("name", "siem", "type", "syslog", "format", "cef",
                "host", "127.0.0.1", "port", 9, "protocol", "tcp", "filters", Map.of("action", "user.*"));
        String id = conforms("POST /api/v1/streams", post("POST /api/v1/streams", "/api/v1/streams", stream)).get("id").asText();
        conforms("GET /api/v1/streams", APP.get("/api/v1/streams", admin));
        conforms("GET /api/v1/streams/{id}", APP.get("/api/v1/streams/" + id, admin));
        conforms("PUT /api/v1/streams/{id}", put("PUT /api/v1/streams/{id}", "/api/v1/streams/" + id, stream));
        conforms("POST /api/v1/streams/{id}/pause", post("/api/v1/streams/" + id + "/pause"));
        conforms("POST /api/v1/streams/{id}/resume", post("/api/v1/streams/" + id + "/resume"));
        conforms("POST /api/v1/streams/{id}/replay", post("/api/v1/streams/" + id + "/replay?fromSeq=1"));
        conforms("DELETE /api/v1/streams/{id}", APP.delete("/api/v1/streams/" + id, admin));
    }

    @Test
    void keyAnswersMatchTheirSchemas() {
        String id = conforms("POST /api/v1/keys", post("POST /api/v1/keys", "/api/v1/keys",
                Map.of("name", "ci-ingest", "roles", List.of("ingest")))).get("id").asText();
        conforms("GET /api/v1/keys", APP.get("/api/v1/keys", admin));
        conforms("DELETE /api/v1/keys/{id}", APP.delete("/api/v1/keys/" + id, admin));
        conforms("GET /api/openapi.json", APP.get(OpenApiFeature.PATH, null));
    }
}
