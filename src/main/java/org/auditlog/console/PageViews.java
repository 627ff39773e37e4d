package org.auditlog.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.auditlog.event.Resource;
import org.auditlog.trail.AuditTrail;

/**
 * One record in the tenant's log per console page an officer opens (PCI DSS 10.2.3: access to audit
 * trails is logged), however many reads the page makes; off with {@code query.recordQueries: false},
 * like the API's query records. Exports and changes made from the console are recorded by the
 * services that make them, as they are for the API.
 */
final class PageViews {
    static final String ACTION = "console.viewed";

    private final AuditTrail trail;
    private final boolean record;

    PageViews(AuditTrail trail, boolean record) {
        this.trail = requireNonNull(trail, "trail is null");
        this.record = record;
    }

    /** Records that the session's officer opened {@code page} (with {@code details}: the search, the event). */
    void viewed(Session session, String page, ObjectNode details) {
        if (!record) {
            return;
        }
        ObjectNode metadata = details == null ? JsonNodeFactory.instance.objectNode() : details;
        metadata.put("page", page);
        metadata.put("session", session.reference());
        var caller = session.caller();
        trail.recordLater(caller.tenant(), AuditTrail.ACCESS, ACTION, caller.requester().actor(),
                new Resource("console_page", page, null), metadata);
    }
}
