package org.auditlog.ingest;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import io.dropwizard.lifecycle.Managed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.auditlog.common.ErrorMappers;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventDraft;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit, one lane per tenant. Concurrent appends to a tenant wait in its lane; a writer thread
 * takes everything waiting in a lane (up to a bound) into one transaction, so many requests share
 * one commit. A request is answered only after the commit that holds its events: an acknowledged
 * event is durable.
 *
 * <p>Writers take turns at a lane's head: one at a time chains the group it took onto the head the
 * lane keeps in memory, then writes it while the next writer chains the next group onto the head
 * after it; up to {@code tenantWritesInFlight} groups of a tenant are written at once, their
 * {@code COPY}s side by side, their commits in chain order (see {@link ChainWriter#write}). Other
 * tenants' lanes are worked in parallel. When a write fails, or finds the head moved (another
 * process appended to the tenant), the lane lets its writes in flight end and then commits that
 * group alone, with the head locked, before chaining in memory again.
 */
public final class EventAppender implements EventSink, Managed {
    private static final Logger LOG = LoggerFactory.getLogger(EventAppender.class);

    private record Writing(ChainWriter.Chained chained, long ticket) {
    }

    private record Pending(ChainWriter.Append append, CompletableFuture<List<Appended>> result, int size) {
    }

    private static final class Lane {
        final String tenant;
        final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
        /** Writer threads given this lane; at most tenantWritesInFlight. */
        final AtomicInteger workers = new AtomicInteger();
        // The rest is guarded by the lane's monitor.
        /** The head after the last group chained, or null: read it from the database. */
        ChainHead head;
        /** The tickets of the groups chained and not yet written or failed, in chain order. */
        final TreeSet<Long> writing = new TreeSet<>();
        long nextTicket;
        /** Writers waiting to commit a group alone; no group is chained meanwhile. */
        int recovering;
        /** The keyed events of the groups being written, for repeats chained before those commit. */
        final Map<String, AuditEvent> keysBeingWritten = new HashMap<>();

        Lane(String tenant) {
            this.tenant = tenant;
        }
    }

    private final ChainWriter writer;
    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final BlockingQueue<Lane> ready = new LinkedBlockingQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final int threads;
    private final int writesInFlight;
    private final int maxEventsPerCommit;
    private final long timeoutMillis;
    private final Histogram groupSize;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean accepting = true;
    private volatile boolean running = true;

    public EventAppender(ChainWriter writer, IngestConfiguration configuration, MetricRegistry metrics) {
        this.writer = requireNonNull(writer, "writer is null");
        this.threads = configuration.getWriterThreads();
        this.writesInFlight = configuration.getTenantWritesInFlight();
        this.maxEventsPerCommit = configuration.getMaxEventsPerCommit();
        this.timeoutMillis = configuration.getAppendTimeout().toMilliseconds();
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
                left.result().completeExceptionally(new ErrorMappers.ServiceUnavailable("the service is stopping", null));
            }
        }
    }

    @Override
    public List<Appended> append(String tenant, List<EventDraft> drafts) {
        if (!accepting) {
            throw new ErrorMappers.ServiceUnavailable("the service is stopping", null);
        }
        var pending = new Pending(writer.prepare(tenant, drafts), new CompletableFuture<>(), drafts.size());
        Lane lane = lanes.computeIfAbsent(tenant, Lane::new);
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
            throw new ErrorMappers.ServiceUnavailable("the append did not commit in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErrorMappers.ServiceUnavailable("interrupted while appending", e);
        }
    }

    private void schedule(Lane lane) {
        while (!lane.pending.isEmpty()) {
            int given = lane.workers.get();
            if (given >= writesInFlight) {
                return;
            }
            if (lane.workers.compareAndSet(given, given + 1)) {
                ready.add(lane);
                return;
            }
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
            try {
                writeGroup(lane);
            } finally {
                lane.workers.decrementAndGet();
                schedule(lane);
            }
        }
    }

    /** Takes the lane's next group, chains it onto the lane's head and writes it. */
    private void writeGroup(Lane lane) {
        List<Pending> group = new ArrayList<>();
        Writing writing;
        try {
            synchronized (lane) {
                while (lane.recovering > 0) {
                    lane.wait();
                }
                int events = 0;
                Pending next;
                while ((next = lane.pending.peek()) != null
                        && (group.isEmpty() || events + next.size() <= maxEventsPerCommit)) {
                    group.add(lane.pending.poll());
                    events += next.size();
                }
                if (group.isEmpty()) {
                    return;
                }
                groupSize.update(group.size());
                try {
                    writing = chain(lane, appends(group));
                } catch (RuntimeException e) {
                    lane.recovering++;
                    recover(lane, group, e);
                    return;
                }
            }
            try {
                writer.write(lane.tenant, writing.chained(), () -> awaitTurn(lane, writing.ticket()));
            } catch (RuntimeException e) {
                synchronized (lane) {
                    written(lane, writing);
                    lane.recovering++;
                    recover(lane, group, e);
                }
                return;
            }
            synchronized (lane) {
                written(lane, writing);
            }
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result().complete(writing.chained().results().get(i));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.forEach(p -> p.result().completeExceptionally(new ErrorMappers.ServiceUnavailable("the service is stopping", e)));
        } finally {
            waiting.addAndGet(-group.size());
        }
    }

    /** Chains a group onto the lane's head; the caller holds the lane's monitor. */
    private Writing chain(Lane lane, List<ChainWriter.Append> appends) {
        if (lane.head == null) {
            lane.head = writer.head(lane.tenant);
        }
        Map<String, AuditEvent> known = writer.stored(lane.tenant, appends);
        for (ChainWriter.Append append : appends) {
            for (EventDraft draft : append.drafts()) {
                draft.idempotencyKey().map(lane.keysBeingWritten::get).ifPresent(e -> known.putIfAbsent(e.idempotencyKey(), e));
            }
        }
        ChainWriter.Chained chained = writer.chain(lane.tenant, appends, lane.head, known);
        lane.head = chained.to();
        for (AuditEvent added : chained.added()) {
            if (added.idempotencyKey() != null) {
                lane.keysBeingWritten.put(added.idempotencyKey(), added);
            }
        }
        long ticket = lane.nextTicket++;
        lane.writing.add(ticket);
        return new Writing(chained, ticket);
    }

    /** Waits until the groups chained before this one have been written or have failed. */
    private static void awaitTurn(Lane lane, long ticket) {
        synchronized (lane) {
            while (lane.writing.first() != ticket) {
                try {
                    lane.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ErrorMappers.ServiceUnavailable("the service is stopping", e);
                }
            }
        }
    }

    /** A chained group's write ended, stored or not; the caller holds the lane's monitor. */
    private static void written(Lane lane, Writing writing) {
        lane.writing.remove(writing.ticket());
        for (AuditEvent added : writing.chained().added()) {
            if (added.idempotencyKey() != null) {
                lane.keysBeingWritten.remove(added.idempotencyKey(), added);
            }
        }
        lane.notifyAll();
    }

    /**
     * A group failed to chain or to write: once the lane's other writes have ended (those chained
     * after it fail too, their head having moved elsewhere), it is committed alone with the head
     * locked, and the lane reads its head again. The caller holds the lane's monitor and has
     * counted itself in {@code recovering}.
     */
    private void recover(Lane lane, List<Pending> group, RuntimeException cause) throws InterruptedException {
        try {
            while (!lane.writing.isEmpty()) {
                lane.wait();
            }
            lane.head = null;
            if (ErrorMappers.isDatabaseUnavailable(cause)) {
                group.forEach(p -> p.result().completeExceptionally(cause));
            } else {
                // the head moved (another process appended), a write chained before this one failed,
                // or this group failed on its own: the locked path tells them apart
                LOG.info("a group of {} appends to {} is committed alone after: {}", group.size(), lane.tenant, cause.toString());
                commit(group);
            }
        } finally {
            lane.recovering--;
            lane.notifyAll();
        }
    }

    /** Commits a group with its tenant's head locked. */
    private void commit(List<Pending> group) {
        try {
            List<List<Appended>> results = writer.commit(appends(group));
            for (int i = 0; i < group.size(); i++) {
                group.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            failedTogether(group, e);
        }
    }

    private void failedTogether(List<Pending> group, RuntimeException e) {
        if (group.size() == 1 || ErrorMappers.isDatabaseUnavailable(e)) {
            group.forEach(p -> p.result().completeExceptionally(e));
            return;
        }
        // One append must not fail the others it happened to share a transaction with.
        LOG.warn("group commit of {} appends failed, committing them one by one: {}", group.size(), e.toString());
        for (Pending pending : group) {
            commit(List.of(pending));
        }
    }

    private static List<ChainWriter.Append> appends(List<Pending> group) {
        return group.stream().map(Pending::append).toList();
    }
}
