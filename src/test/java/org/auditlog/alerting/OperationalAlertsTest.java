package org.auditlog.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.JsonNode;
import io.dropwizard.jackson.Jackson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.outbound.OutboundHttpClient;
import org.auditlog.support.TestApp;
import org.auditlog.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

/** The service's own thresholds, driven over their lines through the metrics they watch. */
class OperationalAlertsTest {
    private static final String SECRET = "operations-webhook-secret";

    private static OperationalAlerts alerts(MetricRegistry metrics, WebhookReceiver receiver) throws Exception {
        var settings = Jackson.newObjectMapper().readValue("{\"channels\": [{\"type\": \"webhook\", \"url\": \""
                + receiver.url() + "\", \"secret\": \"" + SECRET + "\"}], \"cooldown\": \"15 minutes\"}",
                AlertsConfiguration.Operational.class);
        var sender = new ChannelSender(new OutboundHttpClient(OutboundGuard.trusted(), Duration.ofSeconds(2), 2),
                new org.auditlog.outbound.Mailer(new org.auditlog.outbound.SmtpConfiguration()), Jackson.newObjectMapper());
        var alerts = new OperationalAlerts(settings, sender, metrics, 10, 2, Duration.ofMillis(100));
        alerts.start();
        return alerts;
    }

    private static List<JsonNode> received(WebhookReceiver receiver) {
        return receiver.received().stream().map(r -> {
            assertThat(r.signature()).isEqualTo("sha256=" + AlertingTest.hmac(SECRET, r.body()));
            try {
                return TestApp.JSON.readTree(r.body());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void theShareOf5xxRaisesAWarningAboveFivePercentAndCriticalAboveTen() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        Timer requests = metrics.timer(OperationalAlerts.REQUESTS);
        Meter errors = metrics.meter(OperationalAlerts.ERRORS);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            OperationalAlerts alerts = alerts(metrics, receiver);
            Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
            alerts.evaluate(t0);
            requests.update(10, TimeUnit.MILLISECONDS);
            for (int i = 0; i < 99; i++) {
                requests.update(10, TimeUnit.MILLISECONDS);
            }
            errors.mark(4);
            assertThat(alerts.evaluate(t0.plusSeconds(30))).containsEntry("http-5xx-ratio", OperationalAlerts.Level.NONE);
            errors.mark(3);
            assertThat(alerts.evaluate(t0.plusSeconds(60))).containsEntry("http-5xx-ratio", OperationalAlerts.Level.WARNING);
            errors.mark(5);
            assertThat(alerts.evaluate(t0.plusSeconds(90))).containsEntry("http-5xx-ratio", OperationalAlerts.Level.CRITICAL);
            for (int i = 0; i < 2000; i++) {
                requests.update(10, TimeUnit.MILLISECONDS);
            }
            // five minutes on, the errors have left the window
            assertThat(alerts.evaluate(t0.plusSeconds(420))).containsEntry("http-5xx-ratio", OperationalAlerts.Level.NONE);
            TestApp.eventually("three notifications", () -> receiver.received().size() >= 3);
            List<JsonNode> sent = received(receiver);
            assertThat(sent).extracting(n -> n.get("severity").asText() + "/" + n.get("state").asText())
                    .containsExactly("warning/firing", "critical/firing", "critical/resolved");
            alerts.stop();
        }
    }

    @Test
    void slowRequestsAndABusyPoolRaiseTheirAlerts() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        Timer requests = metrics.timer(OperationalAlerts.REQUESTS);
        metrics.meter(OperationalAlerts.ERRORS);
        AtomicInteger active = new AtomicInteger();
        metrics.register(OperationalAlerts.POOL_ACTIVE, (Gauge<Integer>) active::get);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            OperationalAlerts alerts = alerts(metrics, receiver);
            Instant now = Instant.parse("2026-11-22T10:00:00Z");
            for (int i = 0; i < 100; i++) {
                requests.update(1500, TimeUnit.MILLISECONDS);
            }
            active.set(9);
            var levels = alerts.evaluate(now);
            assertThat(levels).containsEntry("http-p95-latency", OperationalAlerts.Level.WARNING)
                    .containsEntry("database-pool-use", OperationalAlerts.Level.WARNING);
            active.set(10);
            assertThat(alerts.evaluate(now.plusSeconds(30))).containsEntry("database-pool-use", OperationalAlerts.Level.CRITICAL);
            TestApp.eventually("three notifications", () -> receiver.received().size() >= 3);
            assertThat(received(receiver)).extracting(n -> n.get("rule").get("name").asText() + "/" + n.get("severity").asText())
                    .containsExactlyInAnyOrder("http-p95-latency/warning", "database-pool-use/warning",
                            "database-pool-use/critical");
            alerts.stop();
        }
    }

    @Test
    void aTenantRefusedWith429AboveATenthOfItsRequestsAndSlowReadsRaiseTheirAlerts() throws Exception {
        MetricRegistry metrics = new MetricRegistry();
        var traffic = new org.auditlog.admin.TenantTraffic(metrics, 5);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            OperationalAlerts alerts = alerts(metrics, receiver);
            Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
            alerts.evaluate(t0);
            for (int i = 0; i < 70; i++) {
                traffic.record("acme", "POST", "/api/v1/events", 201, 1_000_000);
                traffic.record("globex", "POST", "/api/v1/events", 201, 1_000_000);
            }
            for (int i = 0; i < 20; i++) {
                traffic.record("acme", "POST", "/api/v1/events", 429, 100_000);
            }
            traffic.record("globex", "POST", "/api/v1/events", 429, 100_000);
            // acme: 20 of 90 refused (22 %); globex: 1 of 71
            var levels = alerts.evaluate(t0.plusSeconds(60));
            assertThat(levels).containsEntry(OperationalAlerts.RATE_LIMITED + "/acme", OperationalAlerts.Level.WARNING)
                    .doesNotContainKey(OperationalAlerts.RATE_LIMITED + "/globex")
                    .containsEntry("slow-reads", OperationalAlerts.Level.NONE);

            for (int i = 0; i < 18; i++) {
                traffic.record("acme", "GET", "/api/v1/events", 200, 5_000_000);
            }
            for (int i = 0; i < 2; i++) {
                traffic.record("acme", "GET", "/api/v1/events/stats", 200, 1_500_000_000L);
                traffic.record("acme", "GET", "/api/v1/exports/stream", 200, 9_000_000_000L);
            }
            // 2 of 20 reads over a second is 10 %, not above it; streamed exports are not reads
            assertThat(alerts.evaluate(t0.plusSeconds(90))).containsEntry("slow-reads", OperationalAlerts.Level.NONE);
            traffic.record("acme", "GET", "/api/v1/events/{id}", 200, 2_000_000_000L);
            assertThat(alerts.evaluate(t0.plusSeconds(120))).containsEntry("slow-reads", OperationalAlerts.Level.WARNING);

            // six minutes on, acme's refusals and the slow reads have left the window
            for (int i = 0; i < 30; i++) {
                traffic.record("acme", "POST", "/api/v1/events", 201, 1_000_000);
            }
            assertThat(alerts.evaluate(t0.plusSeconds(420))).doesNotContainKey(OperationalAlerts.RATE_LIMITED + "/acme");
            TestApp.eventually("four notifications", () -> receiver.received().size() >= 4);
            List<JsonNode> sent = received(receiver);
            assertThat(sent).extracting(n -> n.get("rule").get("name").asText() + "/" + n.get("state").asText() + "/"
                    + n.get("tenant").asText())
                    .containsExactlyInAnyOrder("tenant-rate-limited/firing/acme", "slow-reads/firing/null",
                            "tenant-rate-limited/resolved/acme", "slow-reads/resolved/null");
            assertThat(sent).filteredOn(n -> n.get("rule").get("name").asText().equals("tenant-rate-limited"))
                    .allSatisfy(n -> assertThat(n.get("group").get("by").asText()).isEqualTo("tenant"));
            alerts.stop();
        }
    }
}
