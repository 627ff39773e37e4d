package org.auditlog.alerting;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.auditlog.outbound.Mailer;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.outbound.OutboundHttpClient;
import org.auditlog.trail.Platform;
import org.auditlog.trail.RecordedTask;

/** Threshold alerts: channels, rules, evaluation and delivery jobs, the task, health check and the service's own alerts. */
public final class AlertingFeature {
    private AlertingFeature() {
    }

    /** {@code poolSize}: the database pool's size, which the service's own alerts watch. */
    /** The service and the guard that checks a channel's address, for the console's pages. */
    /** {@code operational}: the service's own alerts, which other features raise too; empty when disabled. */
    public record Alerting(AlertingService service, OutboundGuard guard, Optional<OperationalAlerts> operational) {
    }

    public static Alerting register(Environment environment, AlertsConfiguration configuration, Platform platform,
                                    int poolSize) {
        var mapper = environment.getObjectMapper();
        var jdbi = platform.jdbi();
        var trail = platform.trail();
        var scheduler = platform.scheduler();
        var guard = OutboundGuard.of(platform.outbound());
        Duration timeout = configuration.getWebhookTimeout();
        var tenantWebhooks = managed(environment, new OutboundHttpClient(guard, timeout, configuration.getDeliveryThreads()));
        var mailer = new Mailer(configuration.getSmtp());
        var sender = new ChannelSender(tenantWebhooks, mailer, mapper);
        var deliveries = new Deliveries(jdbi, sender, configuration.getMaxAttempts(),
                configuration.getInitialBackoff(), configuration.getDeliveryThreads(),
                configuration.getDeliveriesPerTenant(), environment.metrics());
        environment.lifecycle().manage(deliveries);
        var evaluator = new AlertEvaluator(jdbi, deliveries, trail, mapper, environment.metrics());
        var service = new AlertingService(jdbi, trail, platform.limits());
        environment.jersey().register(new AlertsResource(service, platform.bodies(), guard));
        scheduler.every("evaluate-alerts", firing -> evaluator.evaluateAll(), configuration.getEvaluationInterval());
        scheduler.every("deliver-alerts", firing -> deliveries.deliverDue(), configuration.getDeliveryInterval());
        environment.admin().addTask(new RecordedTask(new Task("evaluate-alerts") {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
                output.println(mapper.writeValueAsString(evaluator.evaluateAll()));
            }
        }, trail));
        environment.healthChecks().register("alert-delivery", new HealthCheck() {
            @Override
            protected Result check() {
                List<String> failing = deliveries.failingChannels();
                return failing.isEmpty() ? Result.healthy("no channel is failing")
                        : Result.unhealthy("%d channel(s) keep failing: %s%s", failing.size(),
                                String.join(", ", failing.subList(0, Math.min(10, failing.size()))), failing.size() > 10 ? ", …" : "");
            }
        });
        Optional<OperationalAlerts> operational = Optional.empty();
        if (configuration.getOperational().isEnabled()) {
            // the operator named these channels: they may be on the private network
            var operatorWebhooks = managed(environment, new OutboundHttpClient(OutboundGuard.trusted(), timeout, 4));
            var operatorSender = new ChannelSender(operatorWebhooks, mailer, mapper);
            operational = Optional.of(new OperationalAlerts(configuration.getOperational(), operatorSender,
                    environment.metrics(), poolSize, configuration.getMaxAttempts(),
                    configuration.getInitialBackoff()));
            environment.lifecycle().manage(operational.get());
        }
        return new Alerting(service, guard, operational);
    }

    private static OutboundHttpClient managed(Environment environment, OutboundHttpClient client) {
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                client.close();
            }
        });
        return client;
    }
}
