package org.auditlog.trail;

import static java.util.Objects.requireNonNull;

import org.auditlog.event.AuditEvent;

/** One event of an append: the stored event, and whether it was already stored under its idempotency key. */
public record Appended(AuditEvent event, boolean duplicate) {
    public Appended {
        requireNonNull(event, "event is null");
    }
}
