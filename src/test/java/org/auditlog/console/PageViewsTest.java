package org.auditlog.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.event.EventDraft;
import org.auditlog.trail.Appended;
import org.auditlog.trail.AuditTrail;
import org.junit.jupiter.api.Test;

/** Page views honour {@code query.recordQueries} like the API's query records. */
class PageViewsTest {
    private final List<EventDraft> appended = new ArrayList<>();
    private final AuditTrail trail = new AuditTrail((tenant, drafts) -> {
        appended.addAll(drafts);
        return List.<Appended>of();
    });
    private final Session session = new Session(new byte[32], new Caller(UUID.randomUUID(), "t", "officer",
            Set.of(Role.AUDITOR)), "csrf", Instant.now(), Instant.now());

    @Test
    void aPageViewIsRecordedAsAnAccess() {
        new PageViews(trail, true).viewed(session, "search", null);
        assertThat(appended).singleElement().satisfies(draft -> {
            assertThat(draft.action()).isEqualTo("console.viewed");
            assertThat(draft.category()).isEqualTo(AuditTrail.ACCESS);
        });
    }

    @Test
    void nothingIsRecordedWhenQueriesAreNot() {
        new PageViews(trail, false).viewed(session, "search", null);
        assertThat(appended).isEmpty();
    }
}
