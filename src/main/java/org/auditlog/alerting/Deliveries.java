package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery log: each notification to each channel is a row, tried until it succeeds or runs out
 * of attempts, with exponential backoff between attempts; every attempt is kept.
 */
public final class Deliveries {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    private static final Duration LEASE = Duration.ofMinutes(2);

    private final Jdbi jdbi;
    private final ChannelSender sender;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Counter delivered;
    private final Counter failures;

    public Deliveries(Jdbi jdbi, ChannelSender sender, int maxAttempts, Duration initialBackoff, MetricRegistry metrics) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        Database.prepare(jdbi, DeliveryDao.class);
        this.sender = requireNonNull(sender, "sender is null");
        this.maxAttempts = maxAttempts;
        this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff is null");
        this.delivered = metrics.counter("alerts.deliveries.delivered");
        this.failures = metrics.counter("alerts.deliveries.failed");
    }

    public void enqueue(String tenant, UUID alertId, List<UUID> channels, String kind, String payload) {
        Instant now = Timestamps.now();
        jdbi.useExtension(DeliveryDao.class, dao -> channels.forEach(channel ->
                dao.enqueue(UUID.randomUUID(), tenant, alertId, channel, kind, payload, now)));
    }

    /** Tries every delivery that is due; answers how many attempts were made. */
    public int deliverDue() {
        int attempts = 0;
        List<DeliveryDao.Due> due;
        do {
            Instant now = Timestamps.now();
            due = jdbi.inTransaction(handle -> handle.attach(DeliveryDao.class).take(now, now.plus(LEASE), 20));
            for (DeliveryDao.Due delivery : due) {
                attempt(delivery);
                attempts++;
            }
        } while (!due.isEmpty());
        return attempts;
    }

    private void attempt(DeliveryDao.Due delivery) {
        var channel = jdbi.withExtension(ChannelDao.class, dao -> dao.findAny(delivery.channelId())).orElseThrow();
        int attempt = delivery.attempts() + 1;
        Instant started = Timestamps.now();
        long begin = System.nanoTime();
        ChannelSender.Result result = sender.send(channel, delivery.payload());
        long millis = (System.nanoTime() - begin) / 1_000_000;
        jdbi.useTransaction(handle -> {
            DeliveryDao dao = handle.attach(DeliveryDao.class);
            dao.logAttempt(delivery.id(), attempt, started, result.ok(), result.statusCode(), result.error(), millis);
            if (result.ok()) {
                dao.delivered(delivery.id(), attempt, Timestamps.now());
            } else {
                boolean last = attempt >= maxAttempts;
                Instant next = Timestamps.now().plus(initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20)));
                dao.failed(delivery.id(), last ? "failed" : "pending", attempt, result.error(), next, Timestamps.now());
            }
        });
        if (result.ok()) {
            delivered.inc();
        } else {
            failures.inc();
            LOG.warn("delivery {} to {} channel {} failed (attempt {} of {}): {}", delivery.id(), channel.type(),
                    channel.id(), attempt, maxAttempts, result.error());
        }
    }

    public List<String> failingChannels() {
        return jdbi.withExtension(DeliveryDao.class, DeliveryDao::failingChannels);
    }
}
