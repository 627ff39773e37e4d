package org.auditlog.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.auditlog.common.Timestamps;
import org.auditlog.database.PartitionInterval;
import org.auditlog.database.Partitions;
import org.auditlog.database.StorageConfiguration;
import org.auditlog.event.Actor;
import org.auditlog.event.EventDraft;
import org.auditlog.event.Outcome;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.integrity.EventHasher;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * retention.batchPause: a run of every tenant waits that long after each full batch, as background
 * work; a tenant's own run, which its caller waits for, does not.
 */
class RetentionPaceTest {
    private static final String PURPOSE = "retentionpace";

    @Test
    void runsOfEveryTenantPauseBetweenBatchesAndATenantsOwnRunDoesNot() throws Exception {
        Jdbi jdbi = TestDatabase.get().migratedScratch(PURPOSE);
        try {
            var partitions = new Partitions(jdbi, new StorageConfiguration(PartitionInterval.MONTH, 1));
            var writer = new ChainWriter(jdbi, new EventHasher(TestApp.JSON), partitions);
            writer.append("acme", expired(7));
            writer.append("beta", expired(7));
            var keys = SigningKeys.load("", Files.createTempDirectory("retention-pace-keys"), jdbi);

            // batches of 2: 2, 2, 2 and 1, so three pauses of 400 ms
            var paced = new RetentionRunner(jdbi, keys, configuration("400ms"), new AuditTrail(writer), new MetricRegistry());
            jdbi.useHandle(h -> h.execute("insert into retention_policies (tenant, category, retain_days, updated_at, "
                    + "updated_by) values ('beta', '*', 36500, now(), 'test')"));
            long start = System.nanoTime();
            List<RetentionRun> runs = paced.runAll(false, "task");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(runs).filteredOn(run -> run.tenant().equals("acme")).extracting(RetentionRun::deleted)
                    .containsExactly(7L);
            assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1200));

            // a tenant's own run with a pause of a minute: done long before one pause would end
            jdbi.useHandle(h -> h.execute("delete from retention_policies where tenant = 'beta'"));
            var slow = new RetentionRunner(jdbi, keys, configuration("1 minute"), new AuditTrail(writer), new MetricRegistry());
            start = System.nanoTime();
            RetentionRun own = slow.run("beta", false, "api", new Actor("k", "api_key", null, null)).orElseThrow();
            assertThat(own.deleted()).isEqualTo(7);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMinutes(1));
        } finally {
            TestDatabase.get().dropScratch(PURPOSE);
        }
    }

    private static RetentionConfiguration configuration(String pause) throws Exception {
        return TestApp.JSON.readValue("{\"batchSize\": 2, \"batchPause\": \"" + pause + "\"}", RetentionConfiguration.class);
    }

    /** Events received and occurred 400 days ago, past the default policy of 365 days. */
    private static List<EventDraft> expired(int count) {
        Instant at = Timestamps.now().minus(Duration.ofDays(400));
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drafts.add(new EventDraft("doc.view", new Actor("alice", "user", null, null), at.plusMillis(i), at.plusMillis(i),
                    "general", Outcome.SUCCESS, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty()));
        }
        return drafts;
    }
}
