package org.auditlog.trail;

import java.util.List;
import org.auditlog.event.EventDraft;

/** Appends drafts to a tenant's chain and answers only once they are committed. */
public interface EventSink {
    List<Appended> append(String tenant, List<EventDraft> drafts);
}
