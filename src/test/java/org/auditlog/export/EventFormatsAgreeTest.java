package org.auditlog.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.event.EventField;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API, NDJSON, JSON and CSV exports show every field of the same events alike, field by field,
 * for every field {@link EventField} states: a field added there is compared here with nothing added.
 */
class EventFormatsAgreeTest {
    private static final TestApp APP = TestApp.get();
    /** A value for every field a client sends, with what formats get wrong: quotes, commas, line breaks, formulas, numbers. */
    private static final String FULL = """
            {"action": "doc.share", "occurredAt": "2026-03-04T05:06:07.089+01:00", "category": "data_access",
             "outcome": "denied",
             "actor": {"id": "=cmd|' /C calc'!A0", "type": "service", "name": "Ann, \\"the\\" auditor", "email": "ann@example.com"},
             "resource": {"type": "doc", "id": "+42", "name": "Q1 plan\\r\\nfinal"},
             "source": {"ip": "2001:DB8::0:1", "userAgent": "@agent/1 ü"},
             "requestId": "-req", "reason": "\\ttabbed reason",
             "changes": {"before": {"shared": false, "n": 1.5e21}, "after": {"shared": true, "n": -0.0001}},
             "metadata": {"k": "v", "nested": {"a": [1, 2.5, null, "x"]}, "big": 12345678901234567890},
             "idempotencyKey": "formats-agree-full"}
            """;
    private static final String MINIMAL = """
            {"action": "doc.view", "actor": {"id": "bob"}}
            """;
    private static String key;
    private static List<JsonNode> api;

    @BeforeAll
    static void events() {
        String tenant = TestApp.newTenant("formats");
        key = APP.createKey(tenant, "ingest", "auditor");
        assertThat(APP.post("/api/v1/events", key, FULL).status()).isEqualTo(201);
        assertThat(APP.post("/api/v1/events", key, MINIMAL).status()).isEqualTo(201);
        api = new ArrayList<>();
        APP.get("/api/v1/events", key).json().get("events").forEach(api::add);
        api.sort(Comparator.comparingLong(event -> event.get("seq").asLong()));
        assertThat(api).as("the two events and the record of the key's creation").hasSize(3);
    }

    @Test
    void theFullEventHasAValueForEveryField() {
        JsonNode full = api.stream()
                .filter(event -> event.path("idempotencyKey").asText().equals("formats-agree-full"))
                .findFirst().orElseThrow();
        for (EventField field : EventField.ALL) {
            assertThat(at(full, field).isMissingNode())
                    .as("the API shows no " + field.json() + ": give FULL a value for it").isFalse();
        }
    }

    @Test
    void oneEventFromTheApiIsTheSameAsInAPage() {
        for (JsonNode event : api) {
            JsonNode single = APP.get("/api/v1/events/" + event.get("id").asText(), key).json();
            assertFieldByField("GET /api/v1/events/{id}", event, single);
        }
    }

    @Test
    void ndjsonAndJsonExportsShowEveryFieldAsTheApiDoes() {
        Map<String, JsonNode> ndjson = new LinkedHashMap<>();
        for (String line : APP.get("/api/v1/exports/stream?format=ndjson", key).body().split("\n")) {
            JsonNode event = parse(line);
            ndjson.put(event.get("id").asText(), event);
        }
        Map<String, JsonNode> json = new LinkedHashMap<>();
        parse(APP.get("/api/v1/exports/stream?format=json", key).body())
                .forEach(event -> json.put(event.get("id").asText(), event));
        // the exports also hold the records of this test's own reads, which came after
        for (JsonNode event : api) {
            String id = event.get("id").asText();
            assertFieldByField("NDJSON", event, ndjson.get(id));
            assertFieldByField("JSON", event, json.get(id));
        }
    }

    @Test
    void csvShowsEachOfItsColumnsAsTheApiDoes() {
        List<List<String>> rows = Rfc4180.parse(APP.get("/api/v1/exports/stream?format=csv", key).body());
        assertThat(rows.get(0)).containsExactlyElementsOf(EventField.CSV.stream().map(EventField::flat).toList());
        Map<String, List<String>> byId = new LinkedHashMap<>();
        int idColumn = EventField.CSV.indexOf(EventField.ID);
        rows.subList(1, rows.size()).forEach(row -> byId.put(row.get(idColumn), row));
        for (JsonNode event : api) {
            List<String> cells = byId.get(event.get("id").asText());
            assertThat(cells).as("CSV row of " + event.get("id")).isNotNull();
            for (int column = 0; column < EventField.CSV.size(); column++) {
                EventField field = EventField.CSV.get(column);
                JsonNode value = at(event, field);
                String cell = cells.get(column);
                String where = "CSV " + field.flat() + " of " + event.get("id");
                if (value.isMissingNode()) {
                    assertThat(cell).as(where).isEmpty();
                } else if (value.isObject()) {
                    assertThat(parse(cell)).as(where).isEqualTo(value);
                } else {
                    assertThat(cell).as(where).isEqualTo(ExportWriter.guard(value.asText()));
                }
            }
        }
    }

    /** Every field of {@code expected} (the API's) is in {@code actual} with the same value, and nothing more. */
    private static void assertFieldByField(String format, JsonNode expected, JsonNode actual) {
        assertThat(actual).as(format + " holds " + expected.get("id")).isNotNull();
        for (EventField field : EventField.ALL) {
            assertThat(at(actual, field)).as(format + " " + field.json() + " of " + expected.get("id"))
                    .isEqualTo(at(expected, field));
        }
        assertThat(actual).as(format + " shows what the API shows and nothing else").isEqualTo(expected);
    }

    private static JsonNode at(JsonNode event, EventField field) {
        JsonNode node = event;
        for (String name : field.json().split("\\.")) {
            node = node.path(name);
        }
        return node instanceof MissingNode || node.isNull() ? MissingNode.getInstance() : node;
    }

    private static JsonNode parse(String json) {
        try {
            return TestApp.JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
