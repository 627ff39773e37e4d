package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code metadata} and {@code changes} nest at most 32 levels, the member's own object being level
 * 1: deeper answers 422 naming the member, and a body deeper than the JSON parser reads answers 400,
 * so no stored event is too deep for a page, an export or the hash to render.
 */
class NestingDepthTest {
    private static final TestApp APP = TestApp.get();
    private static String tenant;
    private static String key;

    @BeforeAll
    static void keys() {
        tenant = TestApp.newTenant("depth");
        key = APP.createKey(tenant, "admin");
    }

    @Test
    void acceptsMetadataAndChanges32LevelsDeepAndReadsThemBack() {
        String changes = "{\"before\": " + objects(31) + ", \"after\": {\"list\": " + arrays(30) + "}}";
        var reply = APP.post("/api/v1/events", key, event(objects(32), changes));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);

        var read = APP.get("/api/v1/events/" + reply.json().get("id").asText(), key);
        assertThat(read.status()).as(read.toString()).isEqualTo(200);
        assertThat(depth(read.json().get("metadata"))).isEqualTo(32);
        assertThat(depth(read.json().get("changes"))).isEqualTo(32);
        var page = APP.get("/api/v1/events?limit=5", key);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
    }

    @Test
    void refusesMetadata33LevelsDeepNamingIt() {
        long before = TestApp.count(tenant);
        var reply = APP.post("/api/v1/events", key, event(objects(33), null));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        assertThat(fields(reply)).containsExactly("metadata");
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void countsArraysAsLevels() {
        var reply = APP.post("/api/v1/events", key, event("{\"list\": " + arrays(32) + "}", null));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        assertThat(fields(reply)).containsExactly("metadata");
    }

    @Test
    void refusesChanges33LevelsDeepNamingIt() {
        long before = TestApp.count(tenant);
        var reply = APP.post("/api/v1/events", key, event(null, "{\"after\": " + objects(32) + "}"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        assertThat(fields(reply)).containsExactly("changes");
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void refusesBatchWithOneEventTooDeepNamingItsIndex() {
        long before = TestApp.count(tenant);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(event(i == 3 ? objects(33) : objects(32), i == 1 ? "{\"before\": " + objects(32) + "}" : null));
        }
        var reply = APP.post("/api/v1/events/batch", key, "{\"events\": [" + String.join(",", events) + "]}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        assertThat(fields(reply)).containsExactlyInAnyOrder("events[1].changes", "events[3].metadata");
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void answersBodiesBeyondTheParsersLimitsWith400NamingNoInternals() {
        long before = TestApp.count(tenant);
        var single = APP.post("/api/v1/events", key, event(objects(5000), null));
        assertThat(single.status()).as(single.toString()).isEqualTo(400);
        assertThat(single.json().get("code").asInt()).isEqualTo(400);
        assertThat(single.json().get("message").asText()).contains("nesting depth").doesNotContain("StreamReadConstraints", "`");
        var batch = APP.post("/api/v1/events/batch", key, "{\"events\": [" + event(null, "{\"before\": " + arrays(5000) + "}") + "]}");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(400);
        var longNumber = APP.post("/api/v1/events", key, event("{\"n\": " + "9".repeat(2000) + "}", null));
        assertThat(longNumber.status()).as(longNumber.toString()).isEqualTo(400);
        assertThat(longNumber.json().get("message").asText()).doesNotContain("StreamReadConstraints", "`");
        var bare = APP.post("/api/v1/events/batch", key, "[".repeat(5000) + "]".repeat(5000));
        assertThat(bare.status()).as(bare.toString()).isEqualTo(400);
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    /** {@code levels} objects one inside the other, the innermost holding a number. */
    static String objects(int levels) {
        return "{\"level\": ".repeat(levels - 1) + "{\"leaf\": 1}" + "}".repeat(levels - 1);
    }

    /** {@code levels} arrays one inside the other, the innermost holding a number. */
    static String arrays(int levels) {
        return "[".repeat(levels) + "1" + "]".repeat(levels);
    }

    private static String event(String metadata, String changes) {
        return "{\"action\": \"deep.thing\", \"actor\": {\"id\": \"a\"}"
                + (metadata == null ? "" : ", \"metadata\": " + metadata)
                + (changes == null ? "" : ", \"changes\": " + changes) + "}";
    }

    private static int depth(JsonNode node) {
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isContainerNode() ? deepest + 1 : 0;
    }

    private static List<String> fields(TestApp.Reply reply) {
        List<String> fields = new ArrayList<>();
        reply.json().path("details").forEach(d -> fields.add(d.get("field").asText()));
        return fields;
    }
}
