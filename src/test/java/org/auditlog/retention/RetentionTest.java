package org.auditlog.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final TestApp APP = TestApp.get();

    private static String daysAgo(int days) {
        return Instant.now().minus(days, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** A tenant with an admin key. */
    private record Tenant(String name, String key) {
        static Tenant create(String hint) {
            String name = TestApp.newTenant(hint);
            return new Tenant(name, APP.createKey(name, "admin"));
        }

        void ingest(String action, String category, int daysAgo, Map<String, Object> extra) {
            Map<String, Object> event = new HashMap<>(extra);
            event.put("action", action);
            event.putIfAbsent("actor", Map.of("id", "someone"));
            event.put("category", category);
            event.put("occurredAt", daysAgo(daysAgo));
            var reply = APP.post("/api/v1/events", key, event);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        }

        JsonNode run(boolean dryRun) {
            var reply = APP.send(APP.request("/api/v1/retention/runs?dryRun=" + dryRun, key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            return reply.json();
        }

        void policy(String category, int days) {
            var reply = APP.send(APP.request("/api/v1/retention/policies/" + category, key)
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"retainDays\": " + days + "}")));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        }

        String hold(Map<String, Object> filters) {
            var reply = APP.post("/api/v1/retention/holds", key, Map.of("name", "case-1", "reason", "litigation",
                    "filters", filters));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            return reply.json().get("id").asText();
        }

        List<String> kept() {
            List<String> actions = new ArrayList<>();
            TestApp.rows("select action from audit_events where tenant = ? and category <> 'admin' and category <> 'system' "
                    + "and category <> 'audit_access' order by seq", name).forEach(r -> actions.add((String) r.get("action")));
            return actions;
        }
    }

    @Test
    void policiesPerCategoryWithTheConfiguredDefault() {
        Tenant t = Tenant.create("ret-policy");
        JsonNode policies = APP.get("/api/v1/retention/policies", t.key()).json().get("policies");
        assertThat(policies).anySatisfy(p -> {
            assertThat(p.get("category").asText()).isEqualTo("*");
            assertThat(p.get("retainDays").asInt()).isEqualTo(365);
            assertThat(p.get("source").asText()).isEqualTo("configuration");
        });
        t.policy("auth", 30);
        t.policy("*", 400);
        policies = APP.get("/api/v1/retention/policies", t.key()).json().get("policies");
        assertThat(policies).anySatisfy(p -> {
            assertThat(p.get("category").asText()).isEqualTo("auth");
            assertThat(p.get("retainDays").asInt()).isEqualTo(30);
        });
        assertThat(policies).anySatisfy(p -> {
            assertThat(p.get("category").asText()).isEqualTo("*");
            assertThat(p.get("retainDays").asInt()).isEqualTo(400);
            assertThat(p.get("source").asText()).isEqualTo("tenant");
        });
        String other = APP.createKey(TestApp.newTenant("ret-policy-other"), "admin");
        assertThat(APP.get("/api/v1/retention/policies", other).json().get("policies")).hasSize(1);
    }

    @Test
    void badPoliciesAnswer422NamingTheField() {
        Tenant t = Tenant.create("ret-bad");
        for (String body : new String[] {"{\"retainDays\": 0}", "{\"retainDays\": \"ten\"}", "{\"retainDays\": 1.5}", "{}",
                "{\"retainDays\": 10, \"extra\": 1}"}) {
            var reply = APP.send(APP.request("/api/v1/retention/policies/auth", t.key()).header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
            assertThat(reply.status()).as(body).isEqualTo(422);
        }
        var category = APP.send(APP.request("/api/v1/retention/policies/Bad%20Category", t.key())
                .header("Content-Type", "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"retainDays\": 5}")));
        assertThat(category.status()).isEqualTo(422);
        assertThat(category.json().get("details").get(0).get("field").asText()).isEqualTo("category");
        String auditor = APP.createKey(t.name(), "auditor");
        assertThat(APP.get("/api/v1/retention/policies", auditor).status()).isEqualTo(403);
    }

    @Test
    void deletesOnlyWhatIsPastItsCategorysPolicy() {
        Tenant t = Tenant.create("ret-categories");
        t.policy("auth", 30);
        t.policy("data_access", 90);
        t.ingest("auth.old", "auth", 40, Map.of());
        t.ingest("auth.young", "auth", 20, Map.of());
        t.ingest("data.old", "data_access", 100, Map.of());
        t.ingest("data.young", "data_access", 40, Map.of());
        t.ingest("general.old", "general", 400, Map.of());
        t.ingest("general.young", "general", 100, Map.of());

        JsonNode dry = t.run(true);
        assertThat(dry.get("dryRun").asBoolean()).isTrue();
        assertThat(dry.get("eligible").asLong()).isEqualTo(3);
        assertThat(dry.get("deleted").asLong()).isZero();
        assertThat(t.kept()).hasSize(6);

        JsonNode run = t.run(false);
        assertThat(run.get("eligible").asLong()).isEqualTo(3);
        assertThat(run.get("deleted").asLong()).isEqualTo(3);
        assertThat(run.get("held").asLong()).isZero();
        assertThat(run.get("runId").asText()).isNotBlank();
        assertThat(run.get("startedAt").asText()).endsWith("Z");
        assertThat(run.get("finishedAt").asText()).endsWith("Z");
        assertThat(t.kept()).containsExactly("auth.young", "data.young", "general.young");

        var recorded = TestApp.rows("select actor_type, metadata::text as m from audit_events where tenant = ? "
                + "and category = 'system' and action = 'retention.run' order by seq", t.name());
        assertThat(recorded).hasSize(2);
        assertThat(recorded.get(1).get("m").toString()).contains("\"deleted\": 3", "\"eligible\": 3", "\"held\": 0");
        assertThat(recorded.get(1).get("actor_type")).isEqualTo("api_key");

        JsonNode runs = APP.get("/api/v1/retention/runs", t.key()).json().get("runs");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0).get("runId").asText()).isEqualTo(run.get("runId").asText());
    }

    @Test
    void holdsByActorResourceAndTimeKeepWhatTheyMatchUntilReleased() {
        Tenant t = Tenant.create("ret-holds");
        t.policy("*", 10);
        t.ingest("by.actor", "general", 30, Map.of("actor", Map.of("id", "suspect")));
        t.ingest("by.resource", "general", 30, Map.of("resource", Map.of("type", "contract", "id", "c-9")));
        t.ingest("by.time", "general", 50, Map.of());
        t.ingest("unheld", "general", 30, Map.of());
        t.ingest("other.resource", "general", 30, Map.of("resource", Map.of("type", "contract", "id", "c-1")));
        t.hold(Map.of("actorId", "suspect"));
        String resourceHold = t.hold(Map.of("resourceType", "contract", "resourceId", "c-9"));
        t.hold(Map.of("from", daysAgo(60), "to", daysAgo(45)));

        JsonNode run = t.run(false);
        assertThat(run.get("eligible").asLong()).isEqualTo(5);
        assertThat(run.get("held").asLong()).isEqualTo(3);
        assertThat(run.get("deleted").asLong()).isEqualTo(2);
        assertThat(t.kept()).containsExactly("by.actor", "by.resource", "by.time");

        var released = APP.delete("/api/v1/retention/holds/" + resourceHold, t.key());
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().get("releasedAt").asText()).endsWith("Z");
        JsonNode holds = APP.get("/api/v1/retention/holds", t.key()).json().get("holds");
        assertThat(holds).hasSize(3);
        assertThat(holds).anySatisfy(h -> {
            assertThat(h.get("id").asText()).isEqualTo(resourceHold);
            assertThat(h.get("active").asBoolean()).isFalse();
        });

        JsonNode again = t.run(false);
        assertThat(again.get("deleted").asLong()).isEqualTo(1);
        assertThat(t.kept()).containsExactly("by.actor", "by.time");
    }

    @Test
    void badHoldsAnswer422AndForeignHoldsAreNotFound() {
        Tenant t = Tenant.create("ret-hold-bad");
        var outcome = APP.post("/api/v1/retention/holds", t.key(), Map.of("name", "x", "filters", Map.of("outcome", "failure")));
        assertThat(outcome.status()).isEqualTo(422);
        assertThat(outcome.json().get("details").get(0).get("field").asText()).isEqualTo("filters.outcome");
        var noName = APP.post("/api/v1/retention/holds", t.key(), Map.of("filters", Map.of()));
        assertThat(noName.json().get("details").get(0).get("field").asText()).isEqualTo("name");
        var badTime = APP.post("/api/v1/retention/holds", t.key(), Map.of("name", "x", "filters", Map.of("from", "then")));
        assertThat(badTime.json().get("details").get(0).get("field").asText()).isEqualTo("filters.from");
        String id = t.hold(Map.of("actorId", "a"));
        String other = APP.createKey(TestApp.newTenant("ret-hold-other"), "admin");
        assertThat(APP.delete("/api/v1/retention/holds/" + id, other).status()).isEqualTo(404);
        assertThat(APP.get("/api/v1/retention/holds", other).body()).doesNotContain(id);
        var bad = APP.send(APP.request("/api/v1/retention/runs?dryRun=maybe", t.key())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("details").get(0).get("field").asText()).isEqualTo("dryRun");
        var twice = APP.send(APP.request("/api/v1/retention/runs?dryRun=true&dryRun=false", t.key())
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get("details").get(0).get("field").asText()).isEqualTo("dryRun");
    }

    @Test
    void deletingTheOldestEventsLeavesAnAnchorFromWhichVerificationContinues() {
        String name = TestApp.newTenant("ret-anchor");
        APP.append(name, List.of(TestApp.draft("auth.a", "auth", 90), TestApp.draft("auth.b", "auth", 80),
                TestApp.draft("general.young", "general", 1), TestApp.draft("auth.c", "auth", 70)));
        Tenant t = new Tenant(name, APP.createKey(name, "admin"));
        t.policy("auth", 30);
        JsonNode run = t.run(false);
        assertThat(run.get("deleted").asLong()).isEqualTo(3);
        var anchor = TestApp.rows("select seq, hash from chain_anchors where tenant = ?", name);
        assertThat(anchor).hasSize(1);
        assertThat(((Number) anchor.get(0).get("seq")).longValue()).isEqualTo(2);
        // seq 4 sits between kept events: its link stays; seq 1 and 2 folded into the anchor
        assertThat(TestApp.rows("select seq from chain_links where tenant = ?", name))
                .extracting(r -> ((Number) r.get("seq")).longValue()).containsExactly(4L);
        JsonNode verified = APP.get("/api/v1/integrity/verify", t.key()).json();
        assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
        assertThat(verified.get("fromSeq").asLong()).isEqualTo(3);
        assertThat(APP.task("verify-chain?tenant=" + name).body()).contains("\"ok\":true");

        TestApp.tamper("update audit_events set action = 'x.y' where tenant = '" + name + "' and seq = 3");
        assertThat(APP.get("/api/v1/integrity/verify", t.key()).json().get("firstBrokenSeq").asLong()).isEqualTo(3);
    }

    @Test
    void theChainStillVerifiesAfterRetentionAndTamperingIsStillCaught() {
        Tenant t = Tenant.create("ret-chain");
        t.policy("auth", 30);
        for (int i = 0; i < 8; i++) {
            // old auth events interleaved with young general ones, so links stay between kept events
            t.ingest("auth.e" + i, "auth", 60, Map.of());
            t.ingest("general.e" + i, "general", 5, Map.of());
        }
        t.run(false);
        JsonNode verified = APP.get("/api/v1/integrity/verify", t.key()).json();
        assertThat(verified.get("ok").asBoolean()).as(verified.toString()).isTrue();
        assertThat(TestApp.rows("select 1 from chain_links where tenant = ?", t.name())).hasSize(8);

        var kept = TestApp.rows("select seq from audit_events where tenant = ? and action = 'general.e4'", t.name());
        long seq = ((Number) kept.get(0).get("seq")).longValue();
        TestApp.tamper("update audit_events set actor_id = 'x' where tenant = '" + t.name() + "' and seq = " + seq);
        assertThat(APP.get("/api/v1/integrity/verify", t.key()).json().get("firstBrokenSeq").asLong()).isEqualTo(seq);
    }

    @Test
    void aRowDeletedBehindRetentionsBackIsStillCaught() {
        Tenant t = Tenant.create("ret-delete");
        t.policy("auth", 30);
        for (int i = 0; i < 6; i++) {
            t.ingest("auth.e" + i, "auth", 60, Map.of());
            t.ingest("general.e" + i, "general", 5, Map.of());
        }
        t.run(false);
        var kept = TestApp.rows("select seq from audit_events where tenant = ? and action = 'general.e3'", t.name());
        long seq = ((Number) kept.get(0).get("seq")).longValue();
        TestApp.tamper("delete from audit_events where tenant = '" + t.name() + "' and seq = " + seq);
        JsonNode result = APP.get("/api/v1/integrity/verify", t.key()).json();
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("firstBrokenSeq").asLong()).isEqualTo(seq);
    }

    @Test
    void theTaskRunsEveryTenantAndMetricsCountDeletions() {
        Tenant t = Tenant.create("ret-task");
        t.policy("*", 1);
        t.ingest("old", "general", 3, Map.of());
        var dry = APP.task("retention-run?dryRun=true");
        assertThat(dry.status()).as(dry.toString()).isEqualTo(200);
        assertThat(t.kept()).containsExactly("old");
        var real = APP.task("retention-run?dryRun=false");
        assertThat(real.status()).isEqualTo(200);
        assertThat(real.body()).contains("\"trigger\":\"task\"");
        assertThat(t.kept()).isEmpty();
        var metrics = APP.get(APP.adminUrl() + "/metrics", null).json();
        assertThat(metrics.get("counters").get("retention.events.deleted").get("count").asLong()).isPositive();
        assertThat(metrics.get("timers").has("retention.run")).isTrue();
        assertThat(APP.task("retention-run?dryRun=perhaps").status()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void theHealthCheckReportsAFailedRunAndRecovers() {
        Tenant t = Tenant.create("ret-health");
        t.policy("*", 1);
        t.ingest("old", "general", 3, Map.of());
        // make this tenant's deletions fail inside the database
        TestApp.tamper("create function fail_links() returns trigger language plpgsql as $$ begin "
                        + "if new.tenant = '" + t.name() + "' then raise exception 'disk full (test)'; end if; return new; end $$",
                "create trigger fail_links before insert on chain_links for each row execute function fail_links()");
        try {
            JsonNode failed = t.run(false);
            assertThat(failed.get("error").asText()).contains("resumes at the next run");
            var health = APP.get(APP.adminUrl() + "/healthcheck", null).json().get("retention");
            assertThat(health.get("healthy").asBoolean()).isFalse();
            assertThat(health.get("message").asText()).contains(t.name());
        } finally {
            TestApp.tamper("drop trigger fail_links on chain_links", "drop function fail_links()");
        }
        assertThat(t.run(false).has("error")).isFalse();
        assertThat(t.kept()).isEmpty();
        var health = APP.get(APP.adminUrl() + "/healthcheck", null).json().get("retention");
        assertThat(health.get("message").asText()).doesNotContain(t.name());
    }
}
