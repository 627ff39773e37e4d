package org.auditlog.common;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.auditlog.support.TestApp;
import org.auditlog.support.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The request id travels with the work a request causes: into its jobs' log lines, and out with its alerts. */
class RequestIdsTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void theLogLinesOfAJobARequestStartedCarryTheRequestsId() {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        try {
            String key = APP.createKey(TestApp.newTenant("reqid-job"), "ingest", "auditor");
            assertThat(APP.post("/api/v1/events", key, Map.of("action", "file.read", "actor", Map.of("id", "u"))).status())
                    .isEqualTo(201);
            String requestId = "export-" + UUID.randomUUID();
            var queued = APP.send(APP.request("/api/v1/exports", key).header("X-Request-Id", requestId)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"format\": \"csv\"}")));
            assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
            String id = queued.json().get("id").asText();
            TestApp.eventually("the export's job logs that it is done", () -> List.copyOf(captured.list).stream()
                    .anyMatch(e -> e.getFormattedMessage().startsWith("export " + id + " ")
                            && e.getFormattedMessage().contains("done")));
            ILoggingEvent done = List.copyOf(captured.list).stream()
                    .filter(e -> e.getFormattedMessage().startsWith("export " + id + " ")).findFirst().orElseThrow();
            assertThat(done.getThreadName()).as("logged by the job, not by the request").doesNotStartWith("dw-");
            assertThat(done.getMDCPropertyMap()).containsEntry("requestId", requestId);
        } finally {
            root.detachAppender(captured);
        }
    }

    /**
     * The notifications of an alert fired by an evaluation a request ran carry that request's id. The
     * scheduled evaluation also runs every two seconds here and may fire the alert first, with the id
     * of its own run: then the next actor is tried.
     */
    @Test
    void webhooksAndEmailsOfAnAlertCarryTheIdOfTheRequestWhoseEvaluationFiredIt() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(TestApp.SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String tenant = TestApp.newTenant("reqid-alert");
            String key = APP.createKey(tenant, "admin");
            String hook = APP.post("/api/v1/alerts/channels", key, Map.of("type", "webhook", "url", receiver.url(),
                    "secret", "a-webhook-secret-of-some-length")).json().get("id").asText();
            String mail = APP.post("/api/v1/alerts/channels", key, Map.of("type", "email", "to", List.of("soc@example.com")))
                    .json().get("id").asText();
            assertThat(APP.post("/api/v1/alerts/rules", key, Map.of("name", "brute force",
                    "filter", Map.of("action", "user.login", "outcome", "failure"), "window", "PT5M",
                    "threshold", Map.of("type", "count", "gt", 5), "groupBy", "actorId", "severity", "critical",
                    "channels", List.of(hook, mail), "cooldown", "PT15M", "enabled", true)).status()).isEqualTo(201);

            String requestId = null;
            JsonNode delivery = null;
            for (int attempt = 0; attempt < 5 && delivery == null; attempt++) {
                String actor = "mallory-" + attempt;
                var events = new java.util.ArrayList<Map<String, Object>>();
                for (int i = 0; i < 6; i++) {
                    events.add(Map.of("action", "user.login", "actor", Map.of("id", actor), "outcome", "failure"));
                }
                assertThat(APP.post("/api/v1/events/batch", key, Map.of("events", events)).status()).isEqualTo(201);
                requestId = "evaluate-" + UUID.randomUUID();
                assertThat(APP.send(APP.request(APP.adminUrl() + "/tasks/evaluate-alerts", null)
                        .header("X-Request-Id", requestId).POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(200);
                String alertId = APP.get("/api/v1/alerts?state=firing", key).json().get("alerts").findValues("group").stream()
                        .anyMatch(g -> g.asText().equals(actor)) ? alertOf(key, actor) : null;
                for (JsonNode d : APP.get("/api/v1/alerts/deliveries?channelId=" + hook, key).json().get("deliveries")) {
                    if (d.get("alertId").asText().equals(alertId) && requestId.equals(d.get("requestId").asText())) {
                        delivery = d;
                    }
                }
            }
            assertThat(delivery).as("an alert fired by the task's evaluation").isNotNull();
            String expected = requestId;
            TestApp.eventually("the webhook receives the alert with the request's id",
                    () -> receiver.received().stream().anyMatch(r -> expected.equals(r.header("X-Request-Id"))));
            TestApp.eventually("the e-mail arrives with the request's id", () -> {
                for (MimeMessage message : smtp.getReceivedMessages()) {
                    try {
                        String[] ids = message.getHeader("X-Request-Id");
                        if (ids != null && ids[0].equals(expected)) {
                            return true;
                        }
                    } catch (jakarta.mail.MessagingException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return false;
            });
        } finally {
            smtp.stop();
        }
    }

    private static String alertOf(String key, String actor) {
        for (JsonNode alert : APP.get("/api/v1/alerts?state=firing", key).json().get("alerts")) {
            if (alert.get("group").asText().equals(actor)) {
                return alert.get("id").asText();
            }
        }
        return null;
    }
}
