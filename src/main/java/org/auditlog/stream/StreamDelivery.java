package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.database.PlanModeDao;
import org.auditlog.event.AuditEvent;
import org.auditlog.filter.EventWhere;
import org.auditlog.filter.FilterParser;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every active stream, on every instance: a loop takes due destinations for a lease in the
 * database (so one instance sends to each at a time), and each runs on a bounded pool of its own (not
 * the scheduler's threads), so a slow destination holds up no other. A run reads the tenant's events
 * past the cursor in one short read-only transaction, gives the connection back, sends, and moves the
 * cursor only once the destination acknowledged: delivery is at least once, in seq order.
 */
public final class StreamDelivery implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(StreamDelivery.class);
    private static final Duration SNAPSHOT_EVERY = Duration.ofSeconds(2);

    /** Told when a stream paused itself: the operational alert. */
    public interface PauseAlarm {
        void paused(Stream stream, String reason);
    }

    private final Jdbi jdbi;
    private final StreamsConfiguration configuration;
    private final Map<StreamType, StreamSender> senders;
    private final ObjectMapper mapper;
    private final MetricRegistry metrics;
    private final PauseAlarm alarm;
    private final StreamProduct product = StreamProduct.service();
    private final String me = "instance-" + UUID.randomUUID();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<List<Stream>> snapshot = new AtomicReference<>(List.of());
    private final Set<String> metered = ConcurrentHashMap.newKeySet();
    private final Meter delivered;
    private final Meter failures;
    private volatile Instant lastTick;
    private volatile Instant lastSnapshot = Instant.EPOCH;
    private volatile boolean running;
    private ScheduledExecutorService loop;
    private ExecutorService pool;

    public StreamDelivery(Jdbi jdbi, StreamsConfiguration configuration, Map<StreamType, StreamSender> senders,
                          ObjectMapper mapper, MetricRegistry metrics, PauseAlarm alarm) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.senders = Map.copyOf(senders);
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.alarm = requireNonNull(alarm, "alarm is null");
        this.delivered = metrics.meter("streams.delivered");
        this.failures = metrics.meter("streams.failures");
        Database.prepare(jdbi, DeliveryDao.class);
    }

    @Override
    public void start() {
        running = true;
        lastTick = Timestamps.now();
        pool = Executors.newFixedThreadPool(configuration.getThreads(), daemon("stream-delivery"));
        loop = Executors.newSingleThreadScheduledExecutor(daemon("stream-claims"));
        long every = configuration.getPollInterval().toMillis();
        loop.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (loop != null) {
            loop.shutdownNow();
            pool.shutdown();
            if (!pool.awaitTermination(configuration.getTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
            try {
                jdbi.useExtension(DeliveryDao.class, dao -> dao.releaseAll(me));
            } catch (RuntimeException e) {
                LOG.warn("stream leases not given back; they end by themselves: {}", e.getMessage());
            }
        }
    }

    /** Whether the loop runs: it has ticked within the last few poll intervals. */
    public boolean isRunning() {
        Duration late = configuration.getPollInterval().multipliedBy(10).plusSeconds(30);
        return running && loop != null && !loop.isShutdown() && lastTick.plus(late).isAfter(Timestamps.now());
    }

    /** Every stream as last read (at most a few seconds old): for the health check. */
    public List<Stream> streams() {
        return snapshot.get();
    }

    private void tick() {
        try {
            lastTick = Timestamps.now();
            if (lastTick.isAfter(lastSnapshot.plus(SNAPSHOT_EVERY))) {
                refresh();
            }
            int free = configuration.getThreads() - inFlight.get();
            if (free <= 0) {
                return;
            }
            double leaseSeconds = configuration.getLease().toMillis() / 1000.0;
            for (Stream stream : jdbi.withExtension(DeliveryDao.class, dao -> dao.claim(me, leaseSeconds, free))) {
                inFlight.incrementAndGet();
                pool.execute(() -> {
                    try {
                        deliver(stream);
                    } catch (RuntimeException e) {
                        LOG.error("delivery to stream {} failed", stream, e);
                        release(stream);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warn("stream delivery could not look for due streams: {}", e.getMessage());
        }
    }

    /** Sends batch after batch while the destination keeps up, for at most half the lease; then gives it back. */
    private void deliver(Stream stream) {
        long started = System.nanoTime();
        long cursor = stream.deliveredThroughSeq();
        Duration budget = configuration.getLease().dividedBy(2);
        while (running) {
            Batch batch = read(stream, cursor);
            if (batch == null) {
                break;
            }
            boolean sent = !batch.events().isEmpty();
            if (sent) {
                List<StreamSender.Item> items = new ArrayList<>(batch.events().size());
                for (AuditEvent event : batch.events()) {
                    items.add(new StreamSender.Item(event, stream.format().format(event, product, mapper)));
                }
                StreamSender.Result result = senders.get(stream.type()).send(stream, items);
                if (!result.ok()) {
                    failed(stream, result);
                    return;
                }
            }
            Instant now = Timestamps.now();
            double leaseSeconds = configuration.getLease().toMillis() / 1000.0;
            long from = cursor;
            int moved = jdbi.withExtension(DeliveryDao.class, dao -> dao.advance(stream.id(), me, from, batch.through(),
                    batch.hash(), batch.lostFrom(), batch.lostTo(), sent, now, leaseSeconds));
            if (moved == 0) {
                return; // replayed, deleted or no longer ours: the next claim reads from where it is now
            }
            delivered.mark(batch.events().size());
            meter(stream, "delivered").mark(batch.events().size());
            if (batch.lostFrom() != null) {
                LOG.warn("stream {} lost seqs {} to {} to retention before delivering them", stream, batch.lostFrom(),
                        batch.lostTo());
            }
            cursor = batch.through();
            if (!batch.full() || Duration.ofNanos(System.nanoTime() - started).compareTo(budget) > 0) {
                break;
            }
        }
        release(stream);
    }

    /**
     * The next batch past {@code cursor}: the tenant's seqs (and so the gaps retention left) and the
     * events among them that match the stream's filters, read in one snapshot; null when nothing is new.
     */
    private Batch read(Stream stream, long cursor) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            DeliveryDao dao = handle.attach(DeliveryDao.class);
            DeliveryDao.Head head = dao.head(stream.tenant()).orElse(null);
            if (head == null || head.seq() <= cursor) {
                return null;
            }
            PlanModeDao plans = handle.attach(PlanModeDao.class);
            plans.planOnceForAnyValues();
            List<DeliveryDao.Link> links = dao.links(stream.tenant(), cursor, head.seq(), configuration.getBatchSize());
            plans.planAsConfigured();
            Long lostFrom = null;
            Long lostTo = null;
            long expected = cursor + 1;
            for (DeliveryDao.Link link : links) {
                if (link.seq() > expected) {
                    lostFrom = lostFrom == null ? expected : lostFrom;
                    lostTo = link.seq() - 1;
                }
                expected = link.seq() + 1;
            }
            if (links.isEmpty()) {
                // everything past the cursor up to the head is gone
                return new Batch(List.of(), head.seq(), head.hash(), cursor + 1, head.seq(), false);
            }
            DeliveryDao.Link last = links.get(links.size() - 1);
            Instant firstReceived = links.stream().map(DeliveryDao.Link::receivedAt).min(Comparator.naturalOrder()).orElseThrow();
            Instant lastReceived = links.stream().map(DeliveryDao.Link::receivedAt).max(Comparator.naturalOrder()).orElseThrow();
            // planned with the stream's filter values, but only over the partitions the batch was received in
            List<AuditEvent> events = dao.events(EventWhere.of(stream.tenant(), FilterParser.stored(stream.filters()))
                    .afterSeq(cursor).atMostSeq(last.seq()).receivedWithin(firstReceived, lastReceived));
            return new Batch(events, last.seq(), last.hash(), lostFrom, lostTo,
                    links.size() == configuration.getBatchSize());
        });
    }

    /** A batch read: the matching events to send, the seq and hash the cursor moves to, the seqs found gone. */
    private record Batch(List<AuditEvent> events, long through, byte[] hash, Long lostFrom, Long lostTo, boolean full) {
    }

    private void failed(Stream stream, StreamSender.Result result) {
        String error = result.error();
        failures.mark();
        meter(stream, "failures").mark();
        Instant now = Timestamps.now();
        int attempt = stream.attempts() + 1;
        Instant next = now.plus(backoff(attempt));
        var failingSince = jdbi.withExtension(DeliveryDao.class, dao -> dao.failed(stream.id(), me, error, now, next));
        LOG.warn("stream {} attempt {} failed: {}", stream, attempt, error);
        String reason = null;
        if (!result.retryable()) {
            reason = "paused by the service: the destination refused the batch, and sending it again cannot help "
                    + "until the stream is changed: " + error;
        } else if (failingSince.isPresent()
                && Duration.between(failingSince.get(), now).compareTo(configuration.getPauseAfter()) >= 0) {
            reason = "paused by the service: failing since " + Timestamps.format(failingSince.get())
                    + " (streams.pauseAfter " + configuration.getPauseAfter() + "): " + error;
        }
        if (reason != null) {
            String pausedReason = reason;
            if (jdbi.withExtension(DeliveryDao.class, dao -> dao.pauseFailing(stream.id(), pausedReason, now)) == 1) {
                metrics.counter("streams.paused").inc();
                LOG.warn("stream {} paused itself: {}", stream, pausedReason);
                alarm.paused(stream, pausedReason);
            }
        }
    }

    /** The wait before attempt {@code attempt + 1}: doubling from the initial backoff up to the cap, half of it jitter. */
    Duration backoff(int attempt) {
        long base = configuration.getInitialBackoff().toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, configuration.getMaxBackoff().toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private void release(Stream stream) {
        try {
            jdbi.useExtension(DeliveryDao.class, dao -> dao.release(stream.id(), me));
        } catch (RuntimeException e) {
            LOG.warn("the lease of stream {} was not given back; it ends by itself: {}", stream, e.getMessage());
        }
    }

    /**
     * Reads every stream's status, and keeps one set of metrics per existing stream, named by its id
     * (never by a tenant's words), removed once the stream is gone.
     */
    private void refresh() {
        List<Stream> streams = jdbi.withExtension(DeliveryDao.class, DeliveryDao::all);
        snapshot.set(streams);
        lastSnapshot = Timestamps.now();
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (Stream stream : streams) {
            String id = stream.id().toString();
            ids.add(id);
            metered(id);
        }
        for (String id : Set.copyOf(metered)) {
            if (!ids.contains(id)) {
                metrics.removeMatching((name, metric) -> name.startsWith("streams." + id + "."));
                metered.remove(id);
            }
        }
    }

    private void metered(String id) {
        if (metered.add(id)) {
            metrics.gauge(name(id, "lag-events"), () -> (Gauge<Long>) () -> lag(id));
        }
    }

    private long lag(String id) {
        return snapshot.get().stream().filter(s -> s.id().toString().equals(id)).findFirst()
                .map(s -> s.headSeq() == null ? 0L : Math.max(0L, s.headSeq() - s.deliveredThroughSeq())).orElse(0L);
    }

    private Meter meter(Stream stream, String what) {
        metered(stream.id().toString());
        return metrics.meter(name(stream.id().toString(), what));
    }

    private static String name(String id, String what) {
        return "streams." + id + "." + what;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
