package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.common.RequestIds;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery log: each notification to each channel is a row, tried until it succeeds or runs out
 * of attempts, with exponential backoff between attempts; every attempt is kept. Attempts run on a
 * pool of their own, at most {@code perTenant} of one tenant at once, so a tenant whose receiver
 * hangs until the timeout holds up neither the evaluation nor another tenant's deliveries.
 */
public final class Deliveries implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    private static final Duration LEASE = Duration.ofMinutes(2);
    private static final int BATCH = 20;

    private final Jdbi jdbi;
    private final ChannelSender sender;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Counter delivered;
    private final Counter failures;
    private final int threads;
    private final int perTenant;
    private final ExecutorService pool;
    private final Object dispatching = new Object();
    /** Attempts running or about to, by tenant; guarded by itself. */
    private final Map<String, Integer> inFlight = new HashMap<>();

    public Deliveries(Jdbi jdbi, ChannelSender sender, int maxAttempts, Duration initialBackoff, int threads,
                      int perTenant, MetricRegistry metrics) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        Database.prepare(jdbi, DeliveryDao.class, ChannelDao.class);
        this.sender = requireNonNull(sender, "sender is null");
        this.maxAttempts = maxAttempts;
        this.initialBackoff = requireNonNull(initialBackoff, "initialBackoff is null");
        this.threads = threads;
        this.perTenant = perTenant;
        this.delivered = metrics.counter("alerts.deliveries.delivered");
        this.failures = metrics.counter("alerts.deliveries.failed");
        AtomicInteger number = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread thread = new Thread(r, "alert-delivery-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public void enqueue(String tenant, UUID alertId, List<UUID> channels, String kind, String payload) {
        Instant now = Timestamps.now();
        jdbi.useExtension(DeliveryDao.class, dao -> channels.forEach(channel ->
                dao.enqueue(UUID.randomUUID(), tenant, alertId, channel, kind, payload, now,
                        RequestIds.current().orElse(null))));
    }

    /**
     * Hands every delivery that is due to the pool, as far as it and each tenant's share of it have
     * room; the rest waits for the next run. Answers how many attempts were started.
     */
    public int deliverDue() {
        synchronized (dispatching) {
            int started = 0;
            while (true) {
                int free;
                String[] busy;
                synchronized (inFlight) {
                    free = threads - inFlight.values().stream().mapToInt(Integer::intValue).sum();
                    busy = inFlight.entrySet().stream().filter(e -> e.getValue() >= perTenant)
                            .map(Map.Entry::getKey).toArray(String[]::new);
                }
                if (free <= 0) {
                    return started;
                }
                Instant now = Timestamps.now();
                List<DeliveryDao.Due> due = jdbi.inTransaction(handle -> handle.attach(DeliveryDao.class)
                        .take(now, now.plus(LEASE), Math.min(free, BATCH), busy));
                if (due.isEmpty()) {
                    return started;
                }
                List<UUID> notStarted = new ArrayList<>();
                boolean stopped = false;
                for (DeliveryDao.Due delivery : due) {
                    if (stopped || !reserve(delivery.tenant())) {
                        notStarted.add(delivery.id());
                        continue;
                    }
                    try {
                        pool.execute(() -> {
                            try {
                                attempt(delivery);
                            } catch (RuntimeException e) {
                                LOG.error("delivery {} could not be attempted", delivery.id(), e);
                            } finally {
                                unreserve(delivery.tenant());
                            }
                        });
                        started++;
                    } catch (RejectedExecutionException e) {
                        unreserve(delivery.tenant());
                        notStarted.add(delivery.id());
                        stopped = true;
                    }
                }
                if (!notStarted.isEmpty()) {
                    jdbi.useExtension(DeliveryDao.class, dao -> dao.release(notStarted.toArray(UUID[]::new), now));
                }
                if (stopped) {
                    return started;
                }
            }
        }
    }

    private boolean reserve(String tenant) {
        synchronized (inFlight) {
            int running = inFlight.getOrDefault(tenant, 0);
            if (running >= perTenant) {
                return false;
            }
            inFlight.put(tenant, running + 1);
            return true;
        }
    }

    private void unreserve(String tenant) {
        synchronized (inFlight) {
            inFlight.computeIfPresent(tenant, (t, running) -> running <= 1 ? null : running - 1);
        }
    }

    private void attempt(DeliveryDao.Due delivery) {
        try (var id = RequestIds.within(delivery.requestId())) {
            attemptFor(delivery);
        }
    }

    /** One attempt, in the logging context of the request that caused the alert, which the sender passes on. */
    private void attemptFor(DeliveryDao.Due delivery) {
        Optional<Channel> found = jdbi.withExtension(ChannelDao.class, dao -> dao.find(delivery.tenant(), delivery.channelId()));
        if (found.isEmpty()) {
            jdbi.useExtension(DeliveryDao.class, dao -> dao.cancelForChannel(delivery.channelId(),
                    "the channel was deleted", Timestamps.now()));
            return;
        }
        Channel channel = found.get();
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

    @Override
    public void stop() throws InterruptedException {
        // attempts cut short here are taken again by any instance once their lease ends
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
