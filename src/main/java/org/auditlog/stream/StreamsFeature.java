package org.auditlog.stream;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.auditlog.alerting.OperationalAlerts;
import org.auditlog.common.Timestamps;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.outbound.OutboundHttpClient;
import org.auditlog.trail.Platform;

/** SIEM streams: the tenant's destinations and their API, delivery on each instance, the {@code streams} health check. */
public final class StreamsFeature {
    private static final int NAMED_IN_HEALTH = 10;

    private StreamsFeature() {
    }

    /** {@code operational}: where a stream that paused itself raises its alert; empty: a log line and a metric only. */
    public static void register(Environment environment, StreamsConfiguration configuration, Platform platform,
                                Optional<OperationalAlerts> operational) {
        var mapper = environment.getObjectMapper();
        var guard = OutboundGuard.of(platform.outbound());
        var service = new StreamsService(platform.jdbi(), platform.trail(), platform.limits(), mapper);
        environment.jersey().register(new StreamsResource(service, platform.bodies(), guard));

        var http = new OutboundHttpClient(guard, configuration.getTimeout(), configuration.getThreads());
        StreamDelivery.PauseAlarm alarm = (stream, reason) -> operational.ifPresent(alerts -> alerts.raise(
                "stream-paused", stream.tenant(), "stream", stream.label(), reason));
        Map<StreamType, StreamSender> senders = new EnumMap<>(StreamType.class);
        senders.put(StreamType.WEBHOOK, new WebhookSender(http, mapper));

        var trusted = new TrustedClients(guard, configuration.getTimeout(), configuration.getThreads());
        environment.lifecycle().manage(trusted);
        senders.put(StreamType.SPLUNK_HEC, new SplunkHecSender(http, trusted, mapper));

        senders.put(StreamType.SYSLOG, new SyslogSender(new SyslogTransport(guard, configuration.getTimeout()), mapper));

        senders.put(StreamType.DATADOG, new DatadogSender(http, mapper));

        var delivery = new StreamDelivery(platform.jdbi(), configuration, senders, mapper, environment.metrics(), alarm);
        environment.lifecycle().manage(delivery);
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                http.close();
            }
        });
        environment.healthChecks().register("streams", new HealthCheck() {
            @Override
            protected Result check() {
                if (!delivery.isRunning()) {
                    return Result.unhealthy("stream delivery has stopped on this instance");
                }
                return Result.healthy(describe(delivery.streams(), configuration.getLagWarning(), Timestamps.now()));
            }
        });
    }

    /** The message of a healthy check: how many streams, and which (tenant/name) are paused or lagging. */
    static String describe(List<Stream> streams, Duration lagWarning, Instant now) {
        List<String> paused = new ArrayList<>();
        List<String> lagging = new ArrayList<>();
        for (Stream stream : streams) {
            if (stream.state().equals(Stream.PAUSED)) {
                paused.add(stream.label());
            } else if (stream.oldestUndeliveredAt() != null
                    && stream.oldestUndeliveredAt().plus(lagWarning).isBefore(now)) {
                lagging.add(stream.label() + " (" + Duration.between(stream.oldestUndeliveredAt(), now).toSeconds()
                        + " s behind)");
            }
        }
        StringBuilder message = new StringBuilder("delivering; " + streams.size() + " stream(s)");
        if (!paused.isEmpty()) {
            message.append("; paused: ").append(named(paused));
        }
        if (!lagging.isEmpty()) {
            message.append("; lagging: ").append(named(lagging));
        }
        return message.toString();
    }

    private static String named(List<String> names) {
        return String.join(", ", names.subList(0, Math.min(names.size(), NAMED_IN_HEALTH)))
                + (names.size() > NAMED_IN_HEALTH ? " and " + (names.size() - NAMED_IN_HEALTH) + " more" : "");
    }
}
