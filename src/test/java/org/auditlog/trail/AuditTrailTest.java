package org.auditlog.trail;

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

    private static final Actor ACTOR = new Actor("key-1", "api_key", "reader", null);

    /** A trail on a background thread of its own, keeping every append it makes. */
    private static final class Recorder {
        final List<Append> appends = Collections.synchronizedList(new ArrayList<>());
        final ExecutorService background = Executors.newSingleThreadExecutor();
        final AuditTrail trail;

        Recorder(Duration linger) {
            trail = new AuditTrail((tenant, drafts) -> {
                appends.add(new Append(tenant, List.copyOf(drafts)));
                return List.of();
            }, background, linger);
        }

        void read(String tenant, String action) {
            trail.recordLater(tenant, "audit_access", action, ACTOR, null, null);
        }

        /** Waits for the last flush; answers the appends. */
        List<Append> finish() throws InterruptedException {
            background.shutdown();
            assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            return appends;
        }
    }

    /** Reads recorded close together share an append per tenant, and every one of them is appended. */
    @Test
    void readsRecordedTogetherShareAnAppendPerTenant() throws Exception {
        var recorder = new Recorder(Duration.ofMillis(200));
        for (int i = 0; i < 30; i++) {
            recorder.read(i % 3 == 0 ? "t-b" : "t-a", "events.queried");
        }
        List<Append> appends = recorder.finish();

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
        var recorder = new Recorder(Duration.ofMillis(50));
        recorder.read("t-a", "events.queried");
        Thread.sleep(300);
        recorder.read("t-a", "event.read");
        List<Append> appends = recorder.finish();
        assertThat(appends).hasSize(2);
        assertThat(appends.get(1).drafts()).extracting(EventDraft::action).containsExactly("event.read");
    }

    /** On a graceful stop, reads still waiting are appended at once, and later ones as they come. */
    @Test
    void stoppingAppendsWhatWaitsAndLaterReadsAtOnce() throws Exception {
        var recorder = new Recorder(Duration.ofMinutes(10));
        recorder.read("t-a", "events.queried");
        recorder.read("t-b", "event.read");
        recorder.trail.stop();
        assertThat(recorder.appends).extracting(Append::tenant).containsExactly("t-a", "t-b");
        recorder.read("t-a", "events.stats");
        assertThat(recorder.appends).hasSize(3);
        assertThat(recorder.appends.get(2).drafts()).extracting(EventDraft::action).containsExactly("events.stats");
        recorder.background.shutdownNow();
    }

    /** A read recorded when the executor no longer takes work is appended on the caller's thread. */
    @Test
    void aReadTheExecutorRefusesIsAppendedOnTheCallersThread() throws Exception {
        var recorder = new Recorder(Duration.ofMillis(50));
        recorder.background.shutdown();
        recorder.read("t-a", "events.queried");
        assertThat(recorder.appends).hasSize(1);
    }
}
