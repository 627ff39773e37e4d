package org.auditlog.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A date PostgreSQL cannot hold (or a year of more than four digits) answers the client's 4xx naming
 * the parameter or field, wherever the API takes a date-time, instead of a database error.
 */
class TimestampRangeTest {
    private static final TestApp APP = TestApp.get();
    private static final String FIRST = "0001-01-01T00:00:00Z";
    private static final String LAST = "9999-12-31T23:59:59.999Z";
    private static String admin;

    @BeforeAll
    static void keys() {
        admin = APP.createKey(TestApp.newTenant("dates"), "admin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"+300000-01-01T00:00:00Z", "-300000-01-01T00:00:00Z", "-4714-11-24T00:00:00Z",
            "+10000-01-01T00:00:00Z", "0000-12-31T23:59:59.999Z", "9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+01:00"})
    void refusesDatesOutsideTheRangeInEveryQueryParameter(String date) {
        String value = URLEncoder.encode(date, StandardCharsets.UTF_8);
        for (String name : List.of("from", "to")) {
            for (String path : List.of("/api/v1/events?", "/api/v1/events/stats?groupBy=action&",
                    "/api/v1/exports/stream?format=csv&")) {
                var reply = APP.get(path + name + "=" + value, admin);
                assertThat(reply.status()).as(path + name + "=" + date + " -> " + reply).isEqualTo(400);
                assertThat(fields(reply)).containsExactly(name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"+300000-01-01T00:00:00Z", "-4714-11-24T00:00:00Z", "+10000-01-01T00:00:00Z"})
    void refusesDatesOutsideTheRangeInEveryBodyFilter(String date) {
        for (String name : List.of("from", "to")) {
            var export = APP.post("/api/v1/exports", admin,
                    "{\"format\": \"csv\", \"filters\": {\"" + name + "\": \"" + date + "\"}}");
            assertThat(export.status()).as(export.toString()).isEqualTo(422);
            assertThat(fields(export)).containsExactly("filters." + name);

            var hold = APP.post("/api/v1/retention/holds", admin,
                    "{\"name\": \"case\", \"reason\": \"dates\", \"filters\": {\"" + name + "\": \"" + date + "\"}}");
            assertThat(hold.status()).as(hold.toString()).isEqualTo(422);
            assertThat(fields(hold)).containsExactly("filters." + name);

            var rule = APP.post("/api/v1/alerts/rules", admin, "{\"name\": \"r\", \"filter\": {\"" + name + "\": \""
                    + date + "\"}, \"window\": \"PT5M\", \"threshold\": {\"type\": \"count\", \"gt\": 5}}");
            assertThat(rule.status()).as(rule.toString()).isEqualTo(422);
            assertThat(fields(rule)).containsExactly("filter." + name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"-300000-01-01T00:00:00Z", "-4714-11-24T00:00:00Z", "+300000-01-01T00:00:00Z"})
    void refusesOccurredAtOutsideTheRange(String date) {
        String tenant = TestApp.newTenant("occurred");
        String key = APP.createKey(tenant, "ingest");
        long before = TestApp.count(tenant);
        String event = "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"occurredAt\": \"" + date + "\"}";
        var single = APP.post("/api/v1/events", key, event);
        assertThat(single.status()).as(single.toString()).isEqualTo(422);
        assertThat(fields(single)).containsExactly("occurredAt");
        var batch = APP.post("/api/v1/events/batch", key, "{\"events\": [" + event + "]}");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(422);
        assertThat(fields(batch)).containsExactly("events[0].occurredAt");
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void takesTheFirstAndLastDateOfTheRangeEverywhere() {
        String range = "from=" + FIRST + "&to=" + URLEncoder.encode(LAST, StandardCharsets.UTF_8);
        assertThat(APP.get("/api/v1/events?" + range, admin).status()).isEqualTo(200);
        assertThat(APP.get("/api/v1/events/stats?groupBy=day&" + range, admin).status()).isEqualTo(200);
        assertThat(APP.get("/api/v1/exports/stream?format=csv&" + range, admin).status()).isEqualTo(200);
        String filters = "{\"from\": \"" + FIRST + "\", \"to\": \"" + LAST + "\"}";
        var export = APP.post("/api/v1/exports", admin, "{\"format\": \"csv\", \"filters\": " + filters + "}");
        assertThat(export.status()).as(export.toString()).isEqualTo(202);
        var hold = APP.post("/api/v1/retention/holds", admin,
                "{\"name\": \"all time\", \"reason\": \"dates\", \"filters\": " + filters + "}");
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        var run = APP.post("/api/v1/retention/runs?dryRun=true", admin, "");
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
    }

    private static List<String> fields(TestApp.Reply reply) {
        List<String> fields = new ArrayList<>();
        reply.json().path("details").forEach(d -> fields.add(d.get("field").asText()));
        return fields;
    }
}
