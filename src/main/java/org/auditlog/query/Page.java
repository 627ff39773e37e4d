package org.auditlog.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.auditlog.event.AuditEvent;

/** One page of a query; {@code nextCursor} is null on the last page. */
public record Page(List<AuditEvent> events, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    public Page {
        events = List.copyOf(events);
    }
}
