package org.auditlog.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.auditlog.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

class AlertingTest {
    private static final TestApp APP = TestApp.get();
    private static final String SECRET = "a-webhook-secret-of-some-length";

    private record Tenant(String name, String key) {
        static Tenant create(String hint) {
            String name = TestApp.newTenant(hint);
            return new Tenant(name, APP.createKey(name, "admin"));
        }

        String channel(Map<String, Object> body) {
            var reply = APP.post("/api/v1/alerts/channels", key, body);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            return reply.json().get("id").asText();
        }

        String rule(Map<String, Object> body) {
            var reply = APP.post("/api/v1/alerts/rules", key, body);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
            return reply.json().get("id").asText();
        }

        void failedLogin(String actor) {
            assertThat(APP.post("/api/v1/events", key, Map.of("action", "user.login", "actor", Map.of("id", actor),
                    "outcome", "failure", "category", "auth")).status()).isEqualTo(201);
        }

        JsonNode alerts(String state) {
            return APP.get("/api/v1/alerts" + (state == null ? "" : "?state=" + state), key).json().get("alerts");
        }
    }

    private static Map<String, Object> bruteForceRule(String channel, String window, String cooldown) {
        return bruteForceRule(List.of(channel), window, cooldown);
    }

    private static Map<String, Object> bruteForceRule(List<String> channels, String window, String cooldown) {
        return Map.of("name", "brute force", "filter", Map.of("action", "user.login", "outcome", "failure"),
                "window", window, "threshold", Map.of("type", "count", "gt", 5), "groupBy", "actorId",
                "severity", "critical", "channels", channels, "cooldown", cooldown, "enabled", true);
    }

    private static Map<String, Object> webhook(WebhookReceiver receiver) {
        return Map.of("type", "webhook", "url", receiver.url(), "secret", SECRET);
    }

    /** Six failed logins of each actor, in one batch. */
    private static void failedLogins(Tenant t, String... actors) {
        var events = new java.util.ArrayList<Map<String, Object>>();
        for (String actor : actors) {
            for (int i = 0; i < 6; i++) {
                events.add(Map.of("action", "user.login", "actor", Map.of("id", actor), "outcome", "failure"));
            }
        }
        assertThat(APP.post("/api/v1/events/batch", t.key(), Map.of("events", events)).status()).isEqualTo(201);
    }

    private static void evaluate() {
        var reply = APP.task("evaluate-alerts");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    @Test
    void sixFailedLoginsOfOneActorFireOneSignedAlertForThatActorOnlyAndItResolvesAfterTheWindow() throws Exception {
        Tenant t = Tenant.create("alert-brute");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String channel = t.channel(Map.of("type", "webhook", "url", receiver.url(), "secret", SECRET));
            String rule = t.rule(bruteForceRule(channel, "PT10S", "PT15M"));
            for (int i = 0; i < 6; i++) {
                t.failedLogin("mallory");
            }
            t.failedLogin("alice");
            t.failedLogin("alice");
            evaluate();
            evaluate();

            JsonNode firing = t.alerts("firing");
            assertThat(firing).hasSize(1);
            assertThat(firing.get(0).get("group").asText()).isEqualTo("mallory");
            assertThat(firing.get(0).get("ruleId").asText()).isEqualTo(rule);
            assertThat(firing.get(0).get("severity").asText()).isEqualTo("critical");
            assertThat(firing.get(0).get("matched").asLong()).isEqualTo(6);

            TestApp.eventually("the webhook receives the alert", () -> !receiver.received().isEmpty());
            WebhookReceiver.Received hook = receiver.received().get(0);
            assertThat(hook.signature()).isEqualTo("sha256=" + hmac(SECRET, hook.body()));
            JsonNode payload = TestApp.JSON.readTree(hook.body());
            assertThat(payload.get("state").asText()).isEqualTo("firing");
            assertThat(payload.get("group").get("key").asText()).isEqualTo("mallory");
            assertThat(hook.body()).doesNotContain(SECRET);
            assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'alert.fired' "
                    + "and category = 'system'", t.name())).hasSize(1);

            // the window passes with no new failures: the alert resolves, once
            Thread.sleep(10_500);
            evaluate();
            assertThat(t.alerts("firing")).isEmpty();
            JsonNode resolved = t.alerts("resolved");
            assertThat(resolved).hasSize(1);
            assertThat(resolved.get(0).get("resolvedAt").asText()).endsWith("Z");
            assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'alert.resolved'",
                    t.name())).hasSize(1);
            TestApp.eventually("the webhook receives the resolution",
                    () -> receiver.received().stream().anyMatch(r -> r.body().contains("\"state\":\"resolved\"")));

            // crossing again inside the cooldown fires nothing
            for (int i = 0; i < 6; i++) {
                t.failedLogin("mallory");
            }
            evaluate();
            assertThat(t.alerts(null)).hasSize(1);
        }
    }

    @Test
    void evaluationsRacingEachOtherSendEachAlertOnce() throws Exception {
        Tenant t = Tenant.create("alert-race");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String channel = t.channel(Map.of("type", "webhook", "url", receiver.url(), "secret", SECRET));
            t.rule(bruteForceRule(channel, "PT5M", "PT15M"));
            var events = new java.util.ArrayList<Map<String, Object>>();
            for (int i = 0; i < 6; i++) {
                events.add(Map.of("action", "user.login", "actor", Map.of("id", "racer"), "outcome", "failure"));
            }
            APP.post("/api/v1/events/batch", t.key(), Map.of("events", events));
            var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            var runs = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(AlertingTest::evaluate));
            }
            for (var run : runs) {
                run.get();
            }
            pool.shutdown();
            TestApp.eventually("the alert is delivered", () -> !receiver.received().isEmpty());
            Thread.sleep(3000);
            assertThat(t.alerts(null)).hasSize(1);
            assertThat(receiver.received()).hasSize(1);
        }
    }

    @Test
    void aRatioRuleComparesMatchesWithAllEventsOfTheFilterAndNeedsMinEvents() {
        Tenant t = Tenant.create("alert-ratio");
        t.rule(Map.of("name", "failed login share", "filter", Map.of("action", "user.login", "outcome", "failure"),
                "window", "PT5M", "threshold", Map.of("type", "ratio", "gt", 0.5, "minEvents", 4)));
        // batches, so the scheduled evaluation never sees a state in between
        logins(t, 3, "failure");
        evaluate();
        assertThat(t.alerts("firing")).as("3 events are under minEvents 4").isEmpty();
        logins(t, 4, "success");
        evaluate();
        assertThat(t.alerts("firing")).as("3 of 7 is under 0.5").isEmpty();
        logins(t, 2, "failure");
        evaluate();
        JsonNode firing = t.alerts("firing");
        assertThat(firing).hasSize(1);
        assertThat(firing.get(0).get("value").asDouble()).isCloseTo(5.0 / 9, org.assertj.core.data.Offset.offset(0.001));
        assertThat(firing.get(0).get("total").asLong()).isEqualTo(9);
    }

    @Test
    void aFailingWebhookIsRetriedWithBackoffAndEveryAttemptIsLogged() throws Exception {
        Tenant t = Tenant.create("alert-retry");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(503);
            String channel = t.channel(Map.of("type", "webhook", "url", receiver.url(), "secret", SECRET));
            t.rule(bruteForceRule(channel, "PT5M", "PT15M"));
            for (int i = 0; i < 6; i++) {
                t.failedLogin("eve");
            }
            evaluate();
            TestApp.eventually("three attempts are made", () -> receiver.received().size() >= 3);
            TestApp.eventually("the delivery is given up", () -> !TestApp.rows(
                    "select 1 from alert_deliveries where tenant = ? and status = 'failed' and attempts = 3", t.name()).isEmpty());
            var attempts = TestApp.rows("select a.attempt, a.ok, a.status_code, a.error, a.attempted_at from alert_delivery_attempts a "
                    + "join alert_deliveries d on d.id = a.delivery_id where d.tenant = ? order by a.attempt", t.name());
            assertThat(attempts).hasSize(3);
            assertThat(attempts).extracting(a -> a.get("status_code")).containsOnly(503);
            assertThat(attempts).extracting(a -> a.get("ok")).containsOnly(false);
            long first = ((java.sql.Timestamp) attempts.get(0).get("attempted_at")).getTime();
            long second = ((java.sql.Timestamp) attempts.get(1).get("attempted_at")).getTime();
            long third = ((java.sql.Timestamp) attempts.get(2).get("attempted_at")).getTime();
            assertThat(second - first).isGreaterThanOrEqualTo(300);
            assertThat(third - second).as("the backoff doubles").isGreaterThanOrEqualTo(600);

            var health = APP.get(APP.adminUrl() + "/healthcheck", null).json().get("alert-delivery");
            assertThat(health.get("healthy").asBoolean()).isFalse();
            assertThat(health.get("message").asText()).contains(channel);
            assertThat(APP.get(APP.adminUrl() + "/metrics", null).json().get("counters")
                    .get("alerts.deliveries.failed").get("count").asLong()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void theDeliveryLogShowsEveryAttemptOfEachDeliveryFilteredAndPagedForItsTenantOnly() throws Exception {
        Tenant t = Tenant.create("alert-log");
        try (WebhookReceiver failing = new WebhookReceiver(); WebhookReceiver working = new WebhookReceiver()) {
            failing.answer(503);
            String bad = t.channel(webhook(failing));
            String good = t.channel(webhook(working));
            t.rule(bruteForceRule(List.of(bad, good), "PT5M", "PT15M"));
            failedLogins(t, "mallory");
            evaluate();
            TestApp.eventually("the failing channel's delivery is given up", () -> !TestApp.rows(
                    "select 1 from alert_deliveries where tenant = ? and status = 'failed' and attempts = 3", t.name()).isEmpty());
            TestApp.eventually("the other channel's is delivered", () -> !TestApp.rows(
                    "select 1 from alert_deliveries where tenant = ? and status = 'delivered'", t.name()).isEmpty());
            String alert = t.alerts("firing").get(0).get("id").asText();

            var all = APP.get("/api/v1/alerts/deliveries", t.key());
            assertThat(all.status()).as(all.toString()).isEqualTo(200);
            assertThat(all.json().get("deliveries")).hasSize(2);
            assertThat(all.json().get("nextCursor").isNull()).isTrue();
            assertThat(all.body()).doesNotContain(SECRET);

            JsonNode failed = APP.get("/api/v1/alerts/deliveries?channelId=" + bad, t.key()).json().get("deliveries");
            assertThat(failed).hasSize(1);
            JsonNode given = failed.get(0);
            assertThat(given.get("alertId").asText()).isEqualTo(alert);
            assertThat(given.get("channelId").asText()).isEqualTo(bad);
            assertThat(given.get("kind").asText()).isEqualTo("fired");
            assertThat(given.get("status").asText()).isEqualTo("failed");
            assertThat(given.get("nextAttemptAt").isNull()).isTrue();
            assertThat(given.get("lastError").asText()).isNotEmpty();
            assertThat(given.get("attempts")).hasSize(3);
            for (int i = 0; i < 3; i++) {
                JsonNode attempt = given.get("attempts").get(i);
                assertThat(attempt.get("attempt").asInt()).isEqualTo(i + 1);
                assertThat(attempt.get("ok").asBoolean()).isFalse();
                assertThat(attempt.get("statusCode").asInt()).isEqualTo(503);
                assertThat(attempt.get("error").asText()).isNotEmpty();
                assertThat(attempt.get("durationMs").asLong()).isGreaterThanOrEqualTo(0);
                assertThat(attempt.get("at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
            }
            JsonNode delivered = APP.get("/api/v1/alerts/deliveries?status=delivered&alertId=" + alert, t.key())
                    .json().get("deliveries");
            assertThat(delivered).hasSize(1);
            assertThat(delivered.get(0).get("channelId").asText()).isEqualTo(good);
            assertThat(delivered.get(0).get("attempts")).hasSize(1);
            assertThat(delivered.get(0).get("attempts").get(0).get("ok").asBoolean()).isTrue();
            assertThat(delivered.get(0).get("attempts").get(0).get("statusCode").asInt()).isEqualTo(200);
            assertThat(delivered.get(0).get("lastError").isNull()).isTrue();
            assertThat(APP.get("/api/v1/alerts/deliveries?status=cancelled", t.key()).json().get("deliveries")).isEmpty();

            // a page of one, then the next from its cursor: both deliveries, newest first, once each
            JsonNode first = APP.get("/api/v1/alerts/deliveries?limit=1", t.key()).json();
            assertThat(first.get("deliveries")).hasSize(1);
            var second = APP.get("/api/v1/alerts/deliveries?limit=1&cursor=" + first.get("nextCursor").asText(), t.key()).json();
            assertThat(second.get("deliveries")).hasSize(1);
            assertThat(second.get("nextCursor").isNull()).isTrue();
            assertThat(List.of(first.get("deliveries").get(0).get("id").asText(), second.get("deliveries").get(0).get("id").asText()))
                    .containsExactlyInAnyOrder(all.json().get("deliveries").get(0).get("id").asText(),
                            all.json().get("deliveries").get(1).get("id").asText());
            assertThat(first.get("deliveries").get(0).get("createdAt").asText())
                    .isGreaterThanOrEqualTo(second.get("deliveries").get(0).get("createdAt").asText());

            Map.of("status=sent", "status", "channelId=not-an-id", "channelId", "alertId=7", "alertId", "limit=0", "limit",
                    "limit=201", "limit", "cursor=bm90IGEgY3Vyc29y", "cursor", "channel=" + bad, "channel").forEach((query, field) -> {
                        var reply = APP.get("/api/v1/alerts/deliveries?" + query, t.key());
                        assertThat(reply.status()).as(query).isEqualTo(400);
                        assertThat(reply.json().get("details").toString()).as(query).contains("\"field\":\"" + field + "\"");
                    });

            Tenant other = Tenant.create("alert-log-other");
            assertThat(APP.get("/api/v1/alerts/deliveries", other.key()).json().get("deliveries")).isEmpty();
            assertThat(APP.get("/api/v1/alerts/deliveries?channelId=" + bad, other.key()).json().get("deliveries")).isEmpty();
            assertThat(APP.get("/api/v1/alerts/deliveries", APP.createKey(t.name(), "auditor")).status()).isEqualTo(403);
        }
    }

    @Test
    void aWebhookThatDoesNotAnswerInTimeIsAFailedAttempt() throws Exception {
        Tenant t = Tenant.create("alert-timeout");
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.delay(3000);
            String channel = t.channel(Map.of("type", "webhook", "url", receiver.url(), "secret", SECRET));
            t.rule(bruteForceRule(channel, "PT5M", "PT15M"));
            for (int i = 0; i < 6; i++) {
                t.failedLogin("slow");
            }
            evaluate();
            TestApp.eventually("an attempt times out", () -> !TestApp.rows("select 1 from alert_delivery_attempts a "
                    + "join alert_deliveries d on d.id = a.delivery_id where d.tenant = ? and a.error like 'no answer within%'",
                    t.name()).isEmpty());
        }
    }

    @Test
    void anEmailChannelSendsThroughSmtp() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(TestApp.SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            Tenant t = Tenant.create("alert-mail");
            String channel = t.channel(Map.of("type", "email", "to", List.of("security@example.com", "ciso@example.com")));
            t.rule(bruteForceRule(channel, "PT5M", "PT15M"));
            for (int i = 0; i < 6; i++) {
                t.failedLogin("trudy");
            }
            evaluate();
            // GreenMail's waitForIncomingEmail counts one message to two recipients once: count what arrived
            TestApp.eventually("one message to each recipient arrives", () -> smtp.getReceivedMessages().length == 2);
            MimeMessage message = smtp.getReceivedMessages()[0];
            assertThat(message.getSubject()).isEqualTo("[critical] alert firing: brute force (trudy)");
            assertThat(message.getContent().toString()).contains("\"key\" : \"trudy\"");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void secretsAreNeverShownBack() {
        Tenant t = Tenant.create("alert-secret");
        var created = APP.post("/api/v1/alerts/channels", t.key(),
                Map.of("type", "webhook", "url", "https://hooks.example.com/x", "secret", SECRET));
        assertThat(created.body()).doesNotContain(SECRET);
        assertThat(created.json().get("hasSecret").asBoolean()).isTrue();
        String id = created.json().get("id").asText();
        assertThat(APP.get("/api/v1/alerts/channels", t.key()).body()).doesNotContain(SECRET);
        assertThat(APP.get("/api/v1/alerts/channels/" + id, t.key()).body()).doesNotContain(SECRET);
        assertThat(TestApp.rows("select metadata::text as m from audit_events where tenant = ?", t.name()).toString())
                .doesNotContain(SECRET);
        assertThat(APP.delete("/api/v1/alerts/channels/" + id, t.key()).status()).isEqualTo(204);
        assertThat(APP.get("/api/v1/alerts/channels/" + id, t.key()).status()).isEqualTo(404);
    }

    @Test
    void rulesAreValidatedFieldByField() {
        Tenant t = Tenant.create("alert-validate");
        String channel = t.channel(Map.of("type", "email", "to", List.of("a@example.com")));
        Map<String, Map<String, Object>> cases = Map.of(
                "window", Map.of("name", "r", "window", "5 minutes", "threshold", Map.of("type", "count", "gt", 1)),
                "threshold.type", Map.of("name", "r", "window", "PT5M", "threshold", Map.of("type", "sum", "gt", 1)),
                "threshold.gt", Map.of("name", "r", "window", "PT5M", "threshold", Map.of("type", "ratio", "gt", 1.5)),
                "filter.action", Map.of("name", "r", "window", "PT5M", "threshold", Map.of("type", "count", "gt", 1),
                        "filter", Map.of("action", "Not An Action")),
                "channels[1]", Map.of("name", "r", "window", "PT5M", "threshold", Map.of("type", "count", "gt", 1),
                        "channels", List.of(channel, "00000000-0000-4000-8000-000000000000")),
                "groupBy", Map.of("name", "r", "window", "PT5M", "threshold", Map.of("type", "count", "gt", 1),
                        "groupBy", "country"),
                "severity", Map.of("name", "r", "window", "PT5M", "threshold", Map.of("type", "count", "gt", 1),
                        "severity", "loud"),
                "cooldown", Map.of("name", "r", "window", "PT5M", "threshold", Map.of("type", "count", "gt", 1),
                        "cooldown", "soon"));
        cases.forEach((field, body) -> {
            var reply = APP.post("/api/v1/alerts/rules", t.key(), body);
            assertThat(reply.status()).as(field).isEqualTo(422);
            assertThat(reply.json().get("details").toString()).as(field).contains("\"field\":\"" + field + "\"");
        });
        var typeOfWrongType = APP.post("/api/v1/alerts/rules", t.key(),
                Map.of("name", "r", "window", "PT5M", "threshold", Map.of("type", 7, "gt", 1)));
        assertThat(typeOfWrongType.json().get("details").toString()).contains("\"field\":\"threshold.type\"")
                .doesNotContain("\"field\":\"type\"");
        var channelProblems = APP.post("/api/v1/alerts/channels", t.key(), Map.of("type", "webhook", "url", "ftp://x", "secret", "short"));
        assertThat(channelProblems.status()).isEqualTo(422);
        assertThat(channelProblems.json().get("details").toString()).contains("\"url\"", "\"secret\"");
        assertThat(APP.post("/api/v1/alerts/channels", t.key(), Map.of("type", "email", "to", List.of("not an address")))
                .json().get("details").get(0).get("field").asText()).isEqualTo("to[0]");
        assertThat(APP.post("/api/v1/alerts/channels", t.key(), Map.of("type", "pager")).status()).isEqualTo(422);
    }

    @Test
    void aRuleIsShownWithEveryMemberOfItsJsonForm() throws Exception {
        Tenant t = Tenant.create("alert-shape");
        String rule = t.rule(Map.of("name", "r1", "filter", Map.of("action", "user.login", "meta", Map.of("k", "v")),
                "window", "PT5M", "threshold", Map.of("type", "count", "gt", 3)));
        JsonNode read = APP.get("/api/v1/alerts/rules/" + rule, t.key()).json();
        assertThat(read.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "name", "filter", "window",
                "threshold", "groupBy", "severity", "channels", "cooldown", "enabled", "createdAt", "updatedAt");
        assertThat(read.get("threshold")).isEqualTo(TestApp.JSON.readTree("{\"type\":\"count\",\"gt\":3.0,\"minEvents\":0}"));
        assertThat(read.get("filter")).isEqualTo(TestApp.JSON.readTree("{\"action\":\"user.login\",\"meta\":{\"k\":\"v\"}}"));
        assertThat(read.get("groupBy").isNull()).isTrue();
        assertThat(read.get("channels").isArray()).isTrue();
        assertThat(read.get("createdAt").asText()).endsWith("Z");
        assertThat(APP.get("/api/v1/alerts/rules", t.key()).json().get("rules").get(0)).isEqualTo(read);
    }

    @Test
    void rulesCanBeReadChangedAndDeletedByTheirTenantOnly() {
        Tenant t = Tenant.create("alert-crud");
        String rule = t.rule(Map.of("name", "r1", "window", "PT5M", "threshold", Map.of("type", "count", "gt", 3)));
        JsonNode read = APP.get("/api/v1/alerts/rules/" + rule, t.key()).json();
        assertThat(read.get("name").asText()).isEqualTo("r1");
        assertThat(read.get("cooldown").asText()).isEqualTo("PT15M");
        assertThat(read.get("severity").asText()).isEqualTo("warning");
        var updated = APP.send(APP.request("/api/v1/alerts/rules/" + rule, t.key()).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"name\": \"r2\", \"window\": \"PT1M\", \"threshold\": {\"type\": \"count\", \"gt\": 9}, \"enabled\": false}")));
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("enabled").asBoolean()).isFalse();
        assertThat(APP.get("/api/v1/alerts/rules", t.key()).json().get("rules")).hasSize(1);
        String other = APP.createKey(TestApp.newTenant("alert-crud-other"), "admin");
        assertThat(APP.get("/api/v1/alerts/rules/" + rule, other).status()).isEqualTo(404);
        assertThat(APP.delete("/api/v1/alerts/rules/" + rule, other).status()).isEqualTo(404);
        assertThat(APP.delete("/api/v1/alerts/rules/" + rule, t.key()).status()).isEqualTo(204);
        assertThat(APP.get("/api/v1/alerts/rules/" + rule, t.key()).status()).isEqualTo(404);
        assertThat(TestApp.rows("select action from audit_events where tenant = ? and action like 'alert.rule.%' order by seq",
                t.name())).extracting(r -> r.get("action"))
                .containsExactly("alert.rule.created", "alert.rule.updated", "alert.rule.deleted");
        String auditor = APP.createKey(t.name(), "auditor");
        assertThat(APP.get("/api/v1/alerts/rules", auditor).status()).isEqualTo(403);
        assertThat(APP.get("/api/v1/alerts", auditor).status()).isEqualTo(200);
        var badState = APP.get("/api/v1/alerts?state=loud", auditor);
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.json().get("details").get(0).get("field").asText()).isEqualTo("state");
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        Tenant t = Tenant.create("alert-redirect");
        try (WebhookReceiver target = new WebhookReceiver(); WebhookReceiver redirecting = new WebhookReceiver()) {
            redirecting.redirectTo(target.url());
            t.rule(bruteForceRule(t.channel(webhook(redirecting)), "PT5M", "PT15M"));
            failedLogins(t, "redirected");
            evaluate();
            TestApp.eventually("the first attempt is logged", () -> !TestApp.rows("select 1 from alert_delivery_attempts a "
                    + "join alert_deliveries d on d.id = a.delivery_id where d.tenant = ?", t.name()).isEmpty());
            var attempt = TestApp.rows("select a.ok, a.status_code, a.error from alert_delivery_attempts a "
                    + "join alert_deliveries d on d.id = a.delivery_id where d.tenant = ? order by a.attempt", t.name()).get(0);
            assertThat(attempt.get("ok")).isEqualTo(false);
            assertThat(attempt.get("status_code")).isEqualTo(302);
            assertThat(redirecting.received()).isNotEmpty();
            assertThat(target.received()).isEmpty();
        }
    }

    @Test
    void aReceiverThatHangsUntilTheTimeoutDelaysNoOtherTenant() throws Exception {
        // "hang" sorts before "quick": in one pass, the hanging tenant's deliveries come first
        Tenant hanging = Tenant.create("alert-hang");
        Tenant quick = Tenant.create("alert-quick");
        try (WebhookReceiver stuck = new WebhookReceiver(); WebhookReceiver fast = new WebhookReceiver()) {
            stuck.delay(5000);
            var channels = new java.util.ArrayList<String>();
            for (int i = 0; i < 6; i++) {
                channels.add(hanging.channel(webhook(stuck)));
            }
            hanging.rule(bruteForceRule(channels, "PT5M", "PT15M"));
            quick.rule(bruteForceRule(quick.channel(webhook(fast)), "PT5M", "PT15M"));
            // 10 alerts to 6 channels: 60 deliveries, each held for the whole timeout (1 s), enqueued first
            long start = System.nanoTime();
            failedLogins(hanging, "a0", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9");
            failedLogins(quick, "q");
            evaluate();
            TestApp.eventually("the other tenant's alert arrives", () -> !fast.received().isEmpty());
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
                    .as("60 deliveries of one second each ahead of it").isLessThan(java.time.Duration.ofMillis(2500));
            assertThat(stuck.received().size()).as("two of the hanging tenant's attempts at once, a second each")
                    .isBetween(1, 6);
        }
    }

    @Test
    void channelsAndRulesPastTheTenantsCapAreRefusedEvenWhenRequestedAtOnce() throws Exception {
        Tenant t = Tenant.create("alert-cap");
        Map<String, Object> email = Map.of("type", "email", "to", List.of("soc@example.com"));
        String first = t.channel(email);
        TestApp.tamper("insert into alert_channels (id, tenant, type, email_to, created_at, created_by) "
                + "select gen_random_uuid(), tenant, type, email_to, now(), created_by from alert_channels, "
                + "generate_series(1, 17) where id = '" + first + "'");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        var replies = new java.util.ArrayList<java.util.concurrent.Future<TestApp.Reply>>();
        for (int i = 0; i < 6; i++) {
            replies.add(pool.submit(() -> APP.post("/api/v1/alerts/channels", t.key(), email)));
        }
        int created = 0;
        for (var reply : replies) {
            TestApp.Reply r = reply.get();
            if (r.status() == 201) {
                created++;
            } else {
                assertThat(r.status()).as(r.toString()).isEqualTo(422);
                assertThat(r.json().get("details").get(0).get("field").asText()).isEqualTo("limits.alertChannels");
            }
        }
        pool.shutdown();
        assertThat(created).isEqualTo(2);
        JsonNode channels = APP.get("/api/v1/alerts/channels", t.key()).json().get("channels");
        assertThat(channels).hasSize(20);
        assertThat(APP.delete("/api/v1/alerts/channels/" + channels.get(0).get("id").asText(), t.key()).status()).isEqualTo(204);
        t.channel(email);

        Map<String, Object> rule = Map.of("name", "r", "window", "PT5M", "threshold", Map.of("type", "count", "gt", 3),
                "enabled", false);
        String firstRule = t.rule(rule);
        TestApp.tamper("insert into alert_rules (id, tenant, definition, enabled, created_at, updated_at) "
                + "select gen_random_uuid(), tenant, definition, false, now(), now() from alert_rules, generate_series(1, 98) "
                + "where id = '" + firstRule + "'");
        t.rule(rule);
        var refused = APP.post("/api/v1/alerts/rules", t.key(), rule);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("details").get(0).get("field").asText()).isEqualTo("limits.alertRules");
        assertThat(APP.get("/api/v1/alerts/rules", t.key()).json().get("rules")).hasSize(100);
    }

    @Test
    void aDeletedChannelIsNeverSentToAgainAndRulesNoLongerNameIt() throws Exception {
        Tenant t = Tenant.create("alert-gone");
        try (WebhookReceiver removed = new WebhookReceiver(); WebhookReceiver kept = new WebhookReceiver()) {
            String gone = t.channel(webhook(removed));
            String stays = t.channel(webhook(kept));
            String rule = t.rule(bruteForceRule(List.of(gone, stays), "PT5M", "PT15M"));
            failedLogins(t, "m1");
            evaluate();
            TestApp.eventually("both channels receive the alert", () -> !removed.received().isEmpty() && !kept.received().isEmpty());
            // and the service has recorded the delivery it made (the receiver may answer before that is written)
            TestApp.eventually("the delivery is recorded", () -> TestApp.rows("select 1 from alert_deliveries "
                    + "where channel_id = ?::uuid and status = 'delivered'", gone).size() == 1);

            // a retry of the channel about to be deleted waits in its backoff
            TestApp.tamper("update alert_deliveries set status = 'pending', next_attempt_at = now() + interval '1 hour' "
                    + "where channel_id = '" + gone + "'");
            assertThat(APP.delete("/api/v1/alerts/channels/" + gone, t.key()).status()).isEqualTo(204);
            assertThat(TestApp.rows("select status from alert_deliveries where channel_id = ?::uuid", gone))
                    .extracting(r -> r.get("status")).containsExactly("cancelled");
            assertThat(APP.get("/api/v1/alerts/rules/" + rule, t.key()).json().get("channels"))
                    .extracting(JsonNode::asText).containsExactly(stays);
            assertThat(TestApp.rows("select metadata::text as m from audit_events where tenant = ? "
                    + "and action = 'alert.channel.deleted'", t.name()).get(0).get("m").toString()).contains(rule);

            // a delivery enqueued while the channel was being deleted is cancelled when its turn comes, not sent
            TestApp.tamper("update alert_deliveries set status = 'pending', next_attempt_at = now() "
                    + "where channel_id = '" + gone + "'");
            TestApp.eventually("the delivery is cancelled again", () -> TestApp.rows("select 1 from alert_deliveries "
                    + "where channel_id = ?::uuid and status = 'cancelled'", gone).size() == 1);

            failedLogins(t, "m2");
            evaluate();
            TestApp.eventually("the kept channel receives the second alert", () -> kept.received().size() == 2);
            assertThat(TestApp.rows("select 1 from alert_deliveries where channel_id = ?::uuid", gone)).hasSize(1);
            assertThat(TestApp.rows("select 1 from alert_delivery_attempts a join alert_deliveries d on d.id = a.delivery_id "
                    + "where d.channel_id = ?::uuid", gone)).hasSize(1);
            assertThat(removed.received()).hasSize(1);
        }
    }

    private static void logins(Tenant t, int count, String outcome) {
        var events = new java.util.ArrayList<Map<String, Object>>();
        for (int i = 0; i < count; i++) {
            events.add(Map.of("action", "user.login", "actor", Map.of("id", outcome + i), "outcome", outcome));
        }
        assertThat(APP.post("/api/v1/events/batch", t.key(), Map.of("events", events)).status()).isEqualTo(201);
    }

    static String hmac(String secret, String body) {
        return org.auditlog.outbound.SignedWebhook.hmac(secret, body.getBytes(StandardCharsets.UTF_8));
    }
}
