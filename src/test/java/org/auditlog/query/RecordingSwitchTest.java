package org.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.database.Database;
import org.auditlog.event.EventDraft;
import org.auditlog.support.TestApp;
import org.auditlog.trail.Appended;
import org.auditlog.trail.AuditTrail;
import org.auditlog.trail.EventSink;
import org.junit.jupiter.api.Test;

/** query.recordQueries: on records each query through the trail, off records nothing. */
class RecordingSwitchTest {
    private static final TestApp APP = TestApp.get();

    /** A sink that keeps what it is given. */
    private static final class KeepingSink implements EventSink {
        final List<EventDraft> kept = new ArrayList<>();

        @Override
        public List<Appended> append(String tenant, List<EventDraft> drafts) {
            kept.addAll(drafts);
            return List.of();
        }
    }

    @Test
    void recordsQueriesOnlyWhenConfiguredTo() {
        var jdbi = Database.standalone(APP.support().getConfiguration().getDatabase());
        var caller = new Caller(UUID.randomUUID(), TestApp.newTenant("switch"), "k", Set.of(Role.AUDITOR));
        Map<String, List<String>> parameters = Map.of("action", List.of("user.login"));

        var on = new KeepingSink();
        new QueryService(jdbi, new CursorCodec(new byte[32]), new AuditTrail(on), true).search(caller.requester(), SearchRequest.parse(parameters));
        assertThat(on.kept).singleElement().satisfies(d -> assertThat(d.action()).isEqualTo("events.queried"));

        var off = new KeepingSink();
        new QueryService(jdbi, new CursorCodec(new byte[32]), new AuditTrail(off), false).search(caller.requester(), SearchRequest.parse(parameters));
        assertThat(off.kept).isEmpty();
    }
}
