package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.auditlog.event.Actor;
import org.auditlog.event.EventDraft;
import org.junit.jupiter.api.Test;

class AuditTrailTest {
    private record Append(String tenant, List<EventDraft> drafts) {
    }

    /** Reads recorded close together share an append per tenant, and every one of them is appended. */
    @Test
    void readsRecordedTogetherShareAnAppendPerTenant() throws Exception {
        List<Append> appends = Collections.synchronizedList(new ArrayList<>());
        ExecutorService background = Executors.newSingleThreadExecutor();
        var trail = new AuditTrail((tenant, drafts) -> {
            appends.add(new Append(tenant, List.copyOf(drafts)));
            return List.of();
        }, background, Duration.ofMillis(200));
        Actor actor = new Actor("key-1", "api_key", "reader", null);
        for (int i = 0; i < 30; i++) {
            trail.recordLater(i % 3 == 0 ? "t-b" : "t-a", "audit_access", "events.queried", actor, null, null);
        }
        background.shutdown();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        // in the order each tenant's first read came
        assertThat(appends).extracting(Append::tenant).containsExactly("t-b", "t-a");
        assertThat(appends.get(0).drafts()).hasSize(10);
        assertThat(appends.get(1).drafts()).hasSize(20);
        assertThat(appends.get(1).drafts()).extracting(EventDraft::action).containsOnly("events.queried");
        assertThat(appends.get(1).drafts()).extracting(EventDraft::occurredAt).isSorted();
    }

    /** A read recorded after a flush began is not lost: it gets a flush of its own. */
    @Test
    void aReadRecordedDuringAFlushIsFlushedNext() throws Exception {
        List<Append> appends = Collections.synchronizedList(new ArrayList<>());
        ExecutorService background = Executors.newSingleThreadExecutor();
        var trail = new AuditTrail((tenant, drafts) -> {
            appends.add(new Append(tenant, List.copyOf(drafts)));
            return List.of();
        }, background, Duration.ofMillis(50));
        Actor actor = new Actor("key-1", "api_key", "reader", null);
        trail.recordLater("t-a", "audit_access", "events.queried", actor, null, null);
        Thread.sleep(300);
        trail.recordLater("t-a", "audit_access", "event.read", actor, null, null);
        background.shutdown();
        assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(appends).hasSize(2);
        assertThat(appends.get(1).drafts()).extracting(EventDraft::action).containsExactly("event.read");
    }
}
