package org.auditlog.trail;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.auditlog.common.Timestamps;
import org.auditlog.event.Actor;
import org.auditlog.event.EventDraft;
import org.auditlog.event.Outcome;
import org.auditlog.event.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's own entries in a tenant's log: who changed keys, policies, rules, who exported and
 * who queried. Changes are recorded before the change is answered; reads are recorded in the
 * background, so a query does not wait for a commit (a failure to record one is logged). Reads
 * recorded within {@code linger} of each other are appended together, a tenant's in one append,
 * so a stream of queries costs a commit every {@code linger} rather than one each; each entry keeps
 * the time of its own read.
 *
 * <p>As a {@link Managed} object registered after its background executor (so stopped before it,
 * and before the appender and the pool), it appends what is still waiting when the service stops,
 * and records any read that comes after that at once, so no read record is lost on a graceful stop.
 */
public final class AuditTrail implements Managed {
    /** The category of recorded reads: queries, exports, verifications. */
    public static final String ACCESS = "audit_access";

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);

    private record Pending(String tenant, EventDraft draft) {
    }

    private final EventSink sink;
    private final Executor background;
    private final Duration linger;
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private volatile boolean stopping;

    public AuditTrail(EventSink sink) {
        this(sink, Runnable::run, Duration.ZERO);
    }

    public AuditTrail(EventSink sink, Executor background, Duration linger) {
        this.sink = requireNonNull(sink, "sink is null");
        this.background = requireNonNull(background, "background is null");
        this.linger = requireNonNull(linger, "linger is null");
    }

    public void recordLater(String tenant, String category, String action, Actor actor, Resource resource,
                            ObjectNode metadata) {
        pending.add(new Pending(tenant, draft(category, action, actor, resource, metadata, Outcome.SUCCESS)));
        if (stopping) {
            flush();
        } else if (flushScheduled.compareAndSet(false, true)) {
            try {
                background.execute(this::flushAfterLinger);
            } catch (RejectedExecutionException e) {
                flush();
            }
        }
    }

    /** Appends what waits now, on this thread; reads recorded from now on are appended at once. */
    @Override
    public void stop() {
        stopping = true;
        flush();
    }

    public void record(String tenant, String category, String action, Actor actor, Resource resource,
                       ObjectNode metadata) {
        record(tenant, category, action, actor, resource, metadata, Outcome.SUCCESS);
    }

    /** Records an action of the given outcome before it is answered. */
    public void record(String tenant, String category, String action, Actor actor, Resource resource,
                       ObjectNode metadata, Outcome outcome) {
        sink.append(tenant, List.of(draft(category, action, actor, resource, metadata, outcome)));
    }

    private void flushAfterLinger() {
        try {
            if (!linger.isZero()) {
                Thread.sleep(linger.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: flush what is there now
        }
        // cleared before draining: an entry added from here on schedules the next flush
        flushScheduled.set(false);
        flush();
    }

    private void flush() {
        Map<String, List<EventDraft>> byTenant = new LinkedHashMap<>();
        Pending next;
        while ((next = pending.poll()) != null) {
            byTenant.computeIfAbsent(next.tenant(), t -> new ArrayList<>()).add(next.draft());
        }
        byTenant.forEach((tenant, drafts) -> {
            try {
                sink.append(tenant, drafts);
            } catch (RuntimeException e) {
                LOG.warn("could not record {} read(s) for tenant {}: {}", drafts.size(), tenant, e.toString());
            }
        });
    }

    private static EventDraft draft(String category, String action, Actor actor, Resource resource, ObjectNode metadata,
                                    Outcome outcome) {
        var now = Timestamps.now();
        return new EventDraft(action, actor, now, now, category, outcome,
                Optional.ofNullable(resource), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.ofNullable(metadata), Optional.empty());
    }
}
