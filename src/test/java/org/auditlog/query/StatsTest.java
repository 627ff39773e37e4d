package org.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StatsTest {
    private static final TestApp APP = TestApp.get();
    private static String key;

    @BeforeAll
    static void events() {
        String tenant = TestApp.newTenant("stats");
        key = APP.createKey(tenant, "ingest", "auditor");
        var events = new ArrayList<Map<String, Object>>();
        // day 1: 3 events at 10h, 1 at 11h; day 2: 2 events at 10h
        String[] times = {"2026-04-01T10:05:00Z", "2026-04-01T10:15:00Z", "2026-04-01T10:55:00Z",
                "2026-04-01T11:00:00Z", "2026-04-02T10:00:00Z", "2026-04-02T10:30:00Z"};
        String[] actions = {"user.login", "user.login", "user.login", "user.logout", "doc.view", "user.login"};
        String[] outcomes = {"failure", "failure", "success", "success", "success", "denied"};
        for (int i = 0; i < times.length; i++) {
            events.add(Map.of("action", actions[i], "actor", Map.of("id", i < 4 ? "ann" : "bob"), "occurredAt", times[i],
                    "category", i < 4 ? "auth" : "data_access", "outcome", outcomes[i],
                    "resource", Map.of("type", i % 2 == 0 ? "doc" : "folder")));
        }
        APP.post("/api/v1/events/batch", key, Map.of("events", events));
    }

    private static Map<String, Long> stats(String query) {
        var reply = APP.get("/api/v1/events/stats?from=2026-04-01T00:00:00Z&to=2026-04-03T00:00:00Z&" + query, key);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode json = reply.json();
        Map<String, Long> buckets = new LinkedHashMap<>();
        json.get("buckets").forEach(b -> buckets.put(b.get("key").asText(), b.get("count").asLong()));
        assertThat(json.get("total").asLong()).isEqualTo(buckets.values().stream().mapToLong(Long::longValue).sum());
        return buckets;
    }

    @Test
    void groupsByEveryDimensionWithTheLargestFirst() {
        assertThat(stats("groupBy=action")).containsExactly(Map.entry("user.login", 4L), Map.entry("doc.view", 1L),
                Map.entry("user.logout", 1L));
        assertThat(stats("groupBy=category")).containsExactly(Map.entry("auth", 4L), Map.entry("data_access", 2L));
        assertThat(stats("groupBy=outcome")).containsExactly(Map.entry("success", 3L), Map.entry("failure", 2L),
                Map.entry("denied", 1L));
        assertThat(stats("groupBy=actorId")).containsExactly(Map.entry("ann", 4L), Map.entry("bob", 2L));
        assertThat(stats("groupBy=resourceType")).containsExactly(Map.entry("doc", 3L), Map.entry("folder", 3L));
    }

    @Test
    void groupsByMinuteInTimeOrder() {
        assertThat(stats("groupBy=minute")).containsExactly(
                Map.entry("2026-04-01T10:05:00.000Z", 1L), Map.entry("2026-04-01T10:15:00.000Z", 1L),
                Map.entry("2026-04-01T10:55:00.000Z", 1L), Map.entry("2026-04-01T11:00:00.000Z", 1L),
                Map.entry("2026-04-02T10:00:00.000Z", 1L), Map.entry("2026-04-02T10:30:00.000Z", 1L));
    }

    @Test
    void groupsByHourAndDayInTimeOrder() {
        assertThat(stats("groupBy=hour")).containsExactly(Map.entry("2026-04-01T10:00:00.000Z", 3L),
                Map.entry("2026-04-01T11:00:00.000Z", 1L), Map.entry("2026-04-02T10:00:00.000Z", 2L));
        assertThat(stats("groupBy=day")).containsExactly(Map.entry("2026-04-01T00:00:00.000Z", 4L),
                Map.entry("2026-04-02T00:00:00.000Z", 2L));
    }

    @Test
    void appliesTheQueryFilters() {
        assertThat(stats("groupBy=outcome&action=user.*&actorId=ann")).containsExactly(Map.entry("failure", 2L),
                Map.entry("success", 2L));
        var reply = APP.get("/api/v1/events/stats?groupBy=action&category=auth&from=2026-04-01T00:00:00Z", key).json();
        assertThat(reply.get("groupBy").asText()).isEqualTo("action");
        assertThat(reply.get("total").asLong()).isEqualTo(4);
    }

    @Test
    void anUnknownOrMissingGroupByAnswers400() {
        for (String query : new String[] {"groupBy=colour", "", "groupBy=action&groupBy=outcome"}) {
            var reply = APP.get("/api/v1/events/stats?" + query, key);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.json().get("details").get(0).get("field").asText()).isEqualTo("groupBy");
        }
    }
}
