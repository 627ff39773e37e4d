package org.auditlog.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.support.Results;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint probed with another tenant's event ids, cursors, export ids, rule, channel, hold and
 * key ids answers 404 (400 for a cursor) and shows nothing of the other tenant.
 */
class TenantWallsReliabilityTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void anotherTenantsIdsAndCursorsLeadNowhere() throws Exception {
        String victim = TestApp.newTenant("wall-victim");
        String key = APP.createKey(victim, "admin");
        var events = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 5; i++) {
            events.add(Map.of("action", "secret.thing", "actor", Map.of("id", "victim-actor"), "metadata", Map.of("k", "victim-value")));
        }
        APP.post("/api/v1/events/batch", key, Map.of("events", events));
        String eventId = APP.get("/api/v1/events?limit=1&action=secret.thing", key).json().get("events").get(0).get("id").asText();
        String cursor = APP.get("/api/v1/events?limit=2&action=secret.thing", key).json().get("nextCursor").asText();
        String exportId = APP.post("/api/v1/exports", key, Map.of("format", "csv")).json().get("id").asText();
        TestApp.eventually("the export finishes", () -> APP.get("/api/v1/exports/" + exportId, key).json()
                .get("status").asText().equals("done"));
        String holdId = APP.post("/api/v1/retention/holds", key, Map.of("name", "victim hold", "filters", Map.of())).json()
                .get("id").asText();
        String channelId = APP.post("/api/v1/alerts/channels", key, Map.of("type", "email", "to", List.of("v@example.com")))
                .json().get("id").asText();
        String ruleBody = "{\"name\": \"victim rule\", \"window\": \"PT5M\", \"threshold\": {\"type\": \"count\", \"gt\": 100}}";
        String ruleId = APP.post("/api/v1/alerts/rules", key, ruleBody).json().get("id").asText();
        String keyId = APP.post("/api/v1/keys", key, Map.of("name", "victim key", "roles", List.of("auditor"))).json()
                .get("id").asText();
        APP.task("checkpoint");

        String intruder = APP.createKey(TestApp.newTenant("wall-intruder"), "admin");
        List<String> secrets = List.of(victim, eventId, exportId, holdId, channelId, ruleId, keyId, "victim-actor",
                "victim-value", "victim hold", "victim rule");
        Map<String, TestApp.Reply> probes = new LinkedHashMap<>();
        probes.put("GET event", APP.get("/api/v1/events/" + eventId, intruder));
        probes.put("GET events with cursor", APP.get("/api/v1/events?limit=2&action=secret.thing&cursor=" + cursor, intruder));
        probes.put("GET stats with cursor-free filter", APP.get("/api/v1/events/stats?groupBy=actorId&action=secret.thing", intruder));
        probes.put("GET stream export", APP.get("/api/v1/exports/stream?format=ndjson&action=secret.thing", intruder));
        probes.put("GET export", APP.get("/api/v1/exports/" + exportId, intruder));
        probes.put("GET export download", APP.get("/api/v1/exports/" + exportId + "/download", intruder));
        probes.put("GET export manifest", APP.get("/api/v1/exports/" + exportId + "/manifest", intruder));
        probes.put("DELETE hold", APP.delete("/api/v1/retention/holds/" + holdId, intruder));
        probes.put("GET holds", APP.get("/api/v1/retention/holds", intruder));
        probes.put("GET policies", APP.get("/api/v1/retention/policies", intruder));
        probes.put("GET runs", APP.get("/api/v1/retention/runs", intruder));
        probes.put("GET channel", APP.get("/api/v1/alerts/channels/" + channelId, intruder));
        probes.put("DELETE channel", APP.delete("/api/v1/alerts/channels/" + channelId, intruder));
        probes.put("GET channels", APP.get("/api/v1/alerts/channels", intruder));
        probes.put("GET rule", APP.get("/api/v1/alerts/rules/" + ruleId, intruder));
        probes.put("PUT rule", APP.send(APP.request("/api/v1/alerts/rules/" + ruleId, intruder)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(ruleBody))));
        probes.put("DELETE rule", APP.delete("/api/v1/alerts/rules/" + ruleId, intruder));
        probes.put("POST rule with their channel", APP.post("/api/v1/alerts/rules", intruder, "{\"name\": \"r\", "
                + "\"window\": \"PT5M\", \"threshold\": {\"type\": \"count\", \"gt\": 1}, \"channels\": [\"" + channelId + "\"]}"));
        probes.put("GET rules", APP.get("/api/v1/alerts/rules", intruder));
        probes.put("GET alerts", APP.get("/api/v1/alerts", intruder));
        probes.put("DELETE key", APP.delete("/api/v1/keys/" + keyId, intruder));
        probes.put("GET keys", APP.get("/api/v1/keys", intruder));
        probes.put("GET checkpoints", APP.get("/api/v1/integrity/checkpoints", intruder));
        probes.put("GET verify", APP.get("/api/v1/integrity/verify", intruder));

        Map<String, Integer> statuses = new LinkedHashMap<>();
        List<String> leaks = new ArrayList<>();
        probes.forEach((name, reply) -> {
            statuses.put(name, reply.status());
            secrets.stream().filter(secret -> reply.body().contains(secret)).forEach(secret -> leaks.add(name + " shows " + secret));
        });
        Results.write("tenant-walls", Map.of("probes", probes.size(), "statuses", statuses, "leaks", leaks));

        assertThat(leaks).isEmpty();
        for (String byId : List.of("GET event", "GET export", "GET export download", "GET export manifest", "DELETE hold",
                "GET channel", "DELETE channel", "GET rule", "PUT rule", "DELETE rule", "DELETE key")) {
            assertThat(statuses.get(byId)).as(byId).isEqualTo(404);
        }
        assertThat(statuses.get("GET events with cursor")).isEqualTo(400);
        assertThat(statuses.get("POST rule with their channel")).isEqualTo(422);
        assertThat(APP.get("/api/v1/exports/stream?format=ndjson&action=secret.thing", intruder).body()).isEmpty();
        // and nothing of the victim's changed
        assertThat(APP.get("/api/v1/retention/holds", key).json().get("holds").get(0).get("active").asBoolean()).isTrue();
        assertThat(APP.get("/api/v1/alerts/rules/" + ruleId, key).status()).isEqualTo(200);
        assertThat(APP.get("/api/v1/alerts/channels/" + channelId, key).status()).isEqualTo(200);
        assertThat(APP.get("/api/v1/keys", key).body()).contains(keyId);
    }
}
