package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;

/** A tenant of the stream tests with an admin key: defines streams, ingests, waits for delivery. */
record StreamTenant(String name, String key) {
    static StreamTenant create(String hint) {
        String name = TestApp.newTenant(hint);
        return new StreamTenant(name, TestApp.get().createKey(name, "admin"));
    }

    String stream(Map<String, Object> body) {
        var reply = TestApp.get().post("/api/v1/streams", key, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("id").asText();
    }

    JsonNode status(String id) {
        return TestApp.get().get("/api/v1/streams/" + id, key).json();
    }

    void ingest(int count, String action) {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(Map.of("action", action, "actor", Map.of("id", "actor-" + i)));
        }
        var reply = TestApp.get().post("/api/v1/events/batch", key, Map.of("events", events));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    long head() {
        return ((Number) TestApp.rows("select last_seq from chain_heads where tenant = ?", name).get(0)
                .get("last_seq")).longValue();
    }

    void delivered(String id) {
        TestApp.eventually("the stream delivers through the head", () -> {
            JsonNode status = status(id);
            return status.get("deliveredThroughSeq").asLong() == head() && status.get("lagEvents").asLong() == 0;
        });
    }
}
