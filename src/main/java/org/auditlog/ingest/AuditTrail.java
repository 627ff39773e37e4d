package org.auditlog.ingest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.auditlog.common.Timestamps;
import org.auditlog.event.Actor;
import org.auditlog.event.EventDraft;
import org.auditlog.event.Outcome;
import org.auditlog.event.Resource;

/** The service's own entries in a tenant's log: who changed keys, policies, rules, and so on. */
public final class AuditTrail {
    private final EventSink sink;

    public AuditTrail(EventSink sink) {
        this.sink = requireNonNull(sink, "sink is null");
    }

    public void record(String tenant, String category, String action, Actor actor, Resource resource,
                       ObjectNode metadata) {
        var now = Timestamps.now();
        sink.append(tenant, List.of(new EventDraft(action, actor, now, now, category, Outcome.SUCCESS,
                Optional.ofNullable(resource), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.ofNullable(metadata), Optional.empty())));
    }
}
