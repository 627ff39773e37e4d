package org.auditlog.ingest;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.common.Rejection;
import org.auditlog.database.DatabaseFailures;
import org.auditlog.event.EventDraft;
import org.auditlog.trail.Appended;
import org.auditlog.trail.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit, one lane per tenant. Concurrent appends to a tenant wait in its lane; a writer thread
 * takes everything waiting in a lane (up to a bound) into one transaction, so many requests share
 * one commit. A tenant's lane is worked by one writer at a time, so writers never queue on the same
 * chain head, while other tenants' lanes are worked in parallel. A request is answered only after
 * the commit that holds its events: an acknowledged event is durable.
 */
public final class EventAppender implements EventSink, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EventAppender.class);

    private record Pending(ChainWriter.Append append, CompletableFuture<List<Appended>> result, int size) {
    }

    private static final class Lane {
        final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
        final AtomicBoolean scheduled = new AtomicBoolean();
    }

    private final ChainWriter writer;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final BlockingQueue<Lane> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int threads;
    private final int maxEventsPerCommit;
    private final long timeoutMillis;
    private final Histogram groupSize;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean accepting = true;
    private volatile boolean running = true;

    public EventAppender(ChainWriter writer, IngestConfiguration configuration, MetricRegistry metrics) {
        this.writer = requireNonNull(writer, "writer is null");
        this.threads = configuration.getWriterThreads();
        this.maxEventsPerCommit = configuration.getMaxEventsPerCommit();
        this.timeoutMillis = configuration.getAppendTimeout().toMillis();
        this.groupSize = metrics.histogram(MetricRegistry.name("ingest", "commit", "requests"));
        metrics.registerGauge(MetricRegistry.name("ingest", "appends", "waiting"), waiting::get);
    }

    @Override
    public void start() {
        for (int i = 0; i < threads; i++) {
            Thread worker = new Thread(this::work, "event-appender-" + i);
            worker.start();
            workers.add(worker);
        }
    }

    /** Stops taking appends, commits every append already taken, then ends the writer threads. */
    @Override
    public void stop() throws InterruptedException {
        accepting = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waiting.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        running = false;
        for (Thread worker : workers) {
            worker.join(Math.max(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), 1000));
        }
        for (Lane lane : lanes.values()) {
            Pending left;
            while ((left = lane.pending.poll()) != null) {
                left.result().completeExceptionally(Rejection.unavailable("the service is stopping", null));
            }
        }
    }

    @Override
    public List<Appended> append(String tenant, List<EventDraft> drafts) {
        if (!accepting) {
            throw Rejection.unavailable("the service is stopping", null);
        }
        var pending = new Pending(writer.prepare(tenant, drafts), new CompletableFuture<>(), drafts.size());
        Lane lane = lanes.computeIfAbsent(tenant, t -> new Lane());
        waiting.incrementAndGet();
        lane.pending.add(pending);
        schedule(lane);
        try {
            return pending.result().get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("append failed", e.getCause());
        } catch (TimeoutException e) {
            // The append may still commit; the client retries with its idempotency key.
            throw Rejection.unavailable("the append did not commit in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Rejection.unavailable("interrupted while appending", e);
        }
    }

    private void schedule(Lane lane) {
        if (!lane.pending.isEmpty() && lane.scheduled.compareAndSet(false, true)) {
            ready.add(lane);
        }
    }

    private void work() {
        while (running) {
            Lane lane;
            try {
                lane = ready.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (lane == null) {
                continue;
            }
            List<Pending> group = new ArrayList<>();
            int events = 0;
            Pending next;
            while ((next = lane.pending.peek()) != null
                    && (group.isEmpty() || events + next.size() <= maxEventsPerCommit)) {
                group.add(lane.pending.poll());
                events += next.size();
            }
            try {
                if (!group.isEmpty()) {
                    commit(group);
                }
            } finally {
                waiting.addAndGet(-group.size());
                lane.scheduled.set(false);
                schedule(lane);
            }
        }
    }

    private void commit(List<Pending> group) {
        groupSize.update(group.size());
        try {
            List<List<Appended>> results = writer.commit(group.stream().map(Pending::append).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            if (group.size() == 1 || DatabaseFailures.isUnavailable(e)) {
                group.forEach(p -> p.result().completeExceptionally(e));
                return;
            }
            // One append must not fail the others it happened to share a transaction with.
            LOG.warn("group commit of {} appends failed, committing them one by one: {}", group.size(), e.toString());
            for (Pending pending : group) {
                commit(List.of(pending));
            }
        }
    }
}
