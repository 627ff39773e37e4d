package org.auditlog.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.auditlog.common.Timestamps;
import org.auditlog.event.Actor;
import org.auditlog.event.EventDraft;
import org.auditlog.event.Outcome;
import org.auditlog.event.Resource;

/**
 * The service's own entries in a tenant's log: who changed keys, policies, rules, who exported and
 * who queried. Changes are recorded before the change is answered; reads are recorded in the
 * background, so a query does not wait for a commit (a failure to record one is logged).
 */
public final class AuditTrail {
    private static final Logger LOG = LoggerFactory.getLogger(AuditTrail.class);
    private final EventSink sink;
    private final Executor background;

    public AuditTrail(EventSink sink) {
        this(sink, Runnable::run);
    }

    public AuditTrail(EventSink sink, Executor background) {
        this.sink = requireNonNull(sink, "sink is null");
        this.background = requireNonNull(background, "background is null");
    }

    public void recordLater(String tenant, String category, String action, Actor actor, Resource resource,
                            ObjectNode metadata) {
        background.execute(() -> {
            try {
                record(tenant, category, action, actor, resource, metadata);
            } catch (RuntimeException e) {
                LOG.warn("could not record {} for tenant {}: {}", action, tenant, e.toString());
            }
        });
    }

    public void record(String tenant, String category, String action, Actor actor, Resource resource,
                       ObjectNode metadata) {
        var now = Timestamps.now();
        sink.append(tenant, List.of(new EventDraft(action, actor, now, now, category, Outcome.SUCCESS,
                Optional.ofNullable(resource), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.ofNullable(metadata), Optional.empty())));
    }
}
