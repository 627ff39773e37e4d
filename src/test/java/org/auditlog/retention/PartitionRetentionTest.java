package org.auditlog.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.common.Timestamps;
import org.auditlog.database.DatabaseConfiguration;
import org.auditlog.database.PartitionInterval;
import org.auditlog.database.Partitions;
import org.auditlog.database.StorageConfiguration;
import org.auditlog.event.Actor;
import org.auditlog.event.EventDraft;
import org.auditlog.event.Outcome;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.integrity.ChainVerifier;
import org.auditlog.integrity.EventHasher;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Retention by partitions, on a database of its own with daily partitions (partitions span tenants,
 * so a run of every tenant drops them): a partition whose every event may go is detached and dropped
 * with a signed receipt per tenant and the chains still verify; one that holds an event under a legal
 * hold, or one not yet past another tenant's policy, stays and its expired events go by the batched
 * deletes; a tenant's own run drops nothing; the database's function refuses a receipt that does not
 * cover a partition exactly, and the partition that still receives events.
 */
class PartitionRetentionTest {
    private static final String PURPOSE = "partitionretention";
    private static final Instant TODAY = Timestamps.now().truncatedTo(ChronoUnit.DAYS);

    @AfterAll
    static void drop() {
        TestDatabase.get().dropScratch(PURPOSE);
    }

    @Test
    void partitionsThatMayGoWholeAreDroppedAndTheRestIsDeletedInBatches() throws Exception {
        Jdbi jdbi = TestDatabase.get().migratedScratch(PURPOSE);
        DatabaseConfiguration owner = TestDatabase.owner(TestDatabase.get().scratchUrl(PURPOSE));
        var partitions = new Partitions(jdbi, new StorageConfiguration(PartitionInterval.DAY, 1), owner);
        partitions.createAhead(Timestamps.now());
        EventHasher hasher = new EventHasher(TestApp.JSON);
        var writer = new ChainWriter(jdbi, hasher, partitions);
        // day -40: acme only; day -39: acme and beta; day -38: acme, one event held;
        // day -37: acme, and beta's event under a ten-year policy; today: both
        writer.append("acme", events(40, "alice", "general", 5));
        writer.append("beta", events(39, "bob", "general", 3));
        writer.append("acme", events(39, "alice", "general", 4));
        // one more of acme received on day -40 after those of day -39: its seqs there are not consecutive
        writer.append("acme", events(40, "alice", "general", 1));
        writer.append("acme", events(38, "alice", "general", 3));
        writer.append("acme", events(38, "held-actor", "general", 1));
        writer.append("acme", events(37, "alice", "general", 2));
        writer.append("beta", events(37, "bob", "contract", 1));
        writer.append("acme", events(0, "alice", "general", 2));
        writer.append("beta", events(0, "bob", "general", 2));
        String day40 = name(partitions, 40);
        String day39 = name(partitions, 39);
        String day38 = name(partitions, 38);
        String day37 = name(partitions, 37);
        for (String tenant : List.of("acme", "beta")) {
            jdbi.useExtension(RetentionDao.class, dao -> dao.setPolicy(tenant, "*", 30, Instant.now(), "test"));
        }
        jdbi.useExtension(RetentionDao.class, dao -> dao.setPolicy("beta", "contract", 3650, Instant.now(), "test"));
        jdbi.useExtension(RetentionDao.class, dao -> dao.createHold(UUID.randomUUID(), "acme", "case", null,
                "{\"actorId\": \"held-actor\"}", Instant.now(), "test"));
        var keys = SigningKeys.load("", Files.createTempDirectory("partition-keys"), jdbi);
        var runner = new RetentionRunner(jdbi, keys, new RetentionConfiguration(), new AuditTrail(writer),
                new MetricRegistry(), partitions);
        var verifier = new ChainVerifier(jdbi, hasher, keys::trusted);
        int before = partitions.list().size();

        // a tenant's own run deletes its expired events by batches and drops no partition
        var own = runner.run("beta", false, "api", new Actor("k", "api_key", null, null)).orElseThrow();
        assertThat(own.deleted()).isEqualTo(3);
        assertThat(partitions.list()).hasSize(before);

        // ingest goes on while partitions are detached and dropped: no append waits or fails
        var ingesting = new java.util.concurrent.atomic.AtomicBoolean(true);
        var appended = new java.util.concurrent.atomic.AtomicInteger();
        var failures = new java.util.concurrent.CopyOnWriteArrayList<Throwable>();
        Thread ingest = new Thread(() -> {
            while (ingesting.get()) {
                try {
                    writer.append("gamma", events(0, "carol", "general", 5));
                    appended.addAndGet(5);
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        });
        ingest.start();
        List<RetentionRun> runs;
        try {
            runs = runner.runAll(false, "schedule");
        } finally {
            ingesting.set(false);
            ingest.join();
        }
        assertThat(failures).isEmpty();
        assertThat(appended.get()).isPositive();
        assertThat(count(jdbi, "select count(*) from audit_events where tenant = 'gamma' and action = 'doc.view'"))
                .isEqualTo(appended.get());

        List<String> left = partitions.list().stream().map(Partitions.Partition::name).toList();
        assertThat(left).doesNotContain(day40, day39).contains(day38, day37);
        assertThat(count(jdbi, "select count(*) from pg_class where relname in ('" + day40 + "', '" + day39 + "')"))
                .as("dropped, not only detached").isZero();
        assertThat(count(jdbi, "select count(*) from retired_partitions")).isZero();
        // acme: 6 + 4 by partitions, 3 of day -38 and 2 of day -37 by batches; the held event stays
        assertThat(runs).filteredOn(run -> run.tenant().equals("acme")).extracting(RetentionRun::deleted)
                .containsExactlyInAnyOrder(6L, 4L, 5L);
        assertThat(count(jdbi, "select count(*) from audit_events where tenant = 'acme' and actor_id = 'held-actor'"))
                .isEqualTo(1);
        assertThat(count(jdbi, "select count(*) from audit_events where tenant = 'beta' and category = 'contract'"))
                .isEqualTo(1);
        // the receipts name the partition and the policies; both chains verify from their anchors
        assertThat(text(jdbi, "select string_agg(statement, ' ') from retention_receipts where tenant = 'acme' "
                + "and statement like '%partition%'")).contains("\"name\":\"" + day40 + "\"", "\"name\":\"" + day39 + "\"",
                "\"retainDays\":30");
        for (String tenant : List.of("acme", "beta")) {
            var verified = verifier.verify(tenant, Optional.empty(), Optional.empty());
            assertThat(verified.ok()).as(tenant + ": " + verified).isTrue();
        }
        // day -40's receipt has two ranges, 1..5 and 10
        assertThat(text(jdbi, "select statement from retention_receipts where tenant = 'acme' and statement like '%"
                + day40 + "%'")).contains("\"fromSeq\":1,", "\"toSeq\":5}", "\"fromSeq\":10,", "\"toSeq\":10}");
        // 1..10 went with their partitions, 11..13 by batches: the held event, 14, is the first kept
        assertThat(count(jdbi, "select seq from chain_anchors where tenant = 'acme'")).isEqualTo(13);

        // releasing the hold lets the next run delete the held event by batch: its partition then goes
        // whole on the run after, with nothing left in it
        jdbi.useHandle(h -> h.execute("update legal_holds set released_at = now(), released_by = 'test'"));
        runner.runAll(false, "schedule");
        runner.runAll(false, "schedule");
        assertThat(partitions.list().stream().map(Partitions.Partition::name).toList()).doesNotContain(day38);
        assertThat(verifier.verify("acme", Optional.empty(), Optional.empty()).ok()).isTrue();
    }

    @Test
    void theFunctionRefusesAReceiptThatDoesNotCoverThePartitionAndThePartitionStillReceiving() throws Exception {
        Jdbi jdbi = TestDatabase.get().migratedScratch(PURPOSE + "fn");
        try {
            var partitions = new Partitions(jdbi, new StorageConfiguration(PartitionInterval.DAY, 1));
            var writer = new ChainWriter(jdbi, new EventHasher(TestApp.JSON), partitions);
            writer.append("acme", events(40, "alice", "general", 3));
            writer.append("acme", events(0, "alice", "general", 1));
            String old = name(partitions, 40);
            String current = name(partitions, 0);
            String partial = "{\"tenant\":\"acme\",\"keyId\":\"k\",\"partition\":{\"name\":\"" + old + "\"},"
                    + "\"ranges\":[{\"fromSeq\":1,\"toSeq\":2,\"prevHash\":\"00\",\"lastHash\":\"00\"}]}";
            assertThatThrownBy(() -> retire(jdbi, old, partial)).hasMessageContaining("does not cover exactly");
            String now = partial.replace(old, current);
            assertThatThrownBy(() -> retire(jdbi, current, now)).hasMessageContaining("may still receive events");
            assertThat(count(jdbi, "select count(*) from audit_events")).isEqualTo(4);

            // a tenant's count in a partition, read from the partition; nothing for a name that is not one
            long counted = jdbi.withExtension(RetentionDao.class, dao -> dao.countOf("acme", old));
            assertThat(counted).isEqualTo(3);
            assertThat(count(jdbi, "select count(*) from (select audit_events_partition_count('pg_authid', 'acme') c) x "
                    + "where c is null")).isEqualTo(1);

            // the batched delete deletes only within the times of receipt it is given, and then all or nothing
            Instant noon = TODAY.minus(Duration.ofDays(40)).plus(Duration.ofHours(12));
            byte[] first = jdbi.withHandle(h -> h.createQuery("select prev_hash from audit_events where seq = 1")
                    .mapTo(byte[].class).one());
            byte[] last = jdbi.withHandle(h -> h.createQuery("select hash from audit_events where seq = 3")
                    .mapTo(byte[].class).one());
            String receipt = "{\"tenant\":\"acme\",\"keyId\":\"k\",\"ranges\":[{\"fromSeq\":1,\"toSeq\":3,"
                    + "\"prevHash\":\"" + java.util.HexFormat.of().formatHex(first) + "\",\"lastHash\":\""
                    + java.util.HexFormat.of().formatHex(last) + "\"}]}";
            // the third event was received at noon + 2 ms, after the times given
            assertThatThrownBy(() -> delete(jdbi, receipt, noon, noon.plusMillis(1)))
                    .hasMessageContaining("differ from the events");
            assertThatThrownBy(() -> delete(jdbi, receipt, null, noon.plusMillis(2)))
                    .hasMessageContaining("times of receipt");
            assertThat(count(jdbi, "select count(*) from audit_events")).isEqualTo(4);
            assertThat(delete(jdbi, receipt, noon, noon.plusMillis(2))).isEqualTo(3);
            assertThat(count(jdbi, "select count(*) from audit_events")).isEqualTo(1);
        } finally {
            TestDatabase.get().dropScratch(PURPOSE + "fn");
        }
    }

    @Test
    void aPartitionMissingAnEventIsCountedAgainAndTheGapStaysVisible() throws Exception {
        Jdbi jdbi = TestDatabase.get().migratedScratch(PURPOSE + "gap");
        try {
            DatabaseConfiguration owner = TestDatabase.owner(TestDatabase.get().scratchUrl(PURPOSE + "gap"));
            var partitions = new Partitions(jdbi, new StorageConfiguration(PartitionInterval.DAY, 1), owner);
            EventHasher hasher = new EventHasher(TestApp.JSON);
            var writer = new ChainWriter(jdbi, hasher, partitions);
            writer.append("acme", events(40, "alice", "general", 5));
            writer.append("acme", events(0, "alice", "general", 1));
            String old = name(partitions, 40);
            // a writer with the owner's rights removes event 3 without a trace: no link, no receipt
            jdbi.useHandle(h -> {
                h.execute("set session_replication_role = replica");
                h.execute("delete from audit_events where tenant = 'acme' and seq = 3");
                h.execute("set session_replication_role = origin");
            });
            jdbi.useExtension(RetentionDao.class, dao -> dao.setPolicy("acme", "*", 30, Instant.now(), "test"));
            var keys = SigningKeys.load("", Files.createTempDirectory("partition-gap-keys"), jdbi);
            var runner = new RetentionRunner(jdbi, keys, new RetentionConfiguration(), new AuditTrail(writer),
                    new MetricRegistry(), partitions);

            // seqs 1 to 5 with none elsewhere read as five events; the function finds four and refuses,
            // and counted, the receipt covers 1..2 and 4..5
            List<RetentionRun> runs = runner.runAll(false, "schedule");
            assertThat(partitions.list().stream().map(Partitions.Partition::name).toList()).doesNotContain(old);
            assertThat(runs).filteredOn(run -> old.equals(run.partition())).extracting(RetentionRun::deleted)
                    .containsExactly(4L);
            assertThat(text(jdbi, "select statement from retention_receipts where tenant = 'acme'"))
                    .contains("\"toSeq\":2}", "\"fromSeq\":4,");
            var verified = new ChainVerifier(jdbi, hasher, keys::trusted).verify("acme", Optional.empty(), Optional.empty());
            assertThat(verified.ok()).isFalse();
            // the anchor moved past 5, and no receipt covers 3
            assertThat(verified.toString()).contains("firstBrokenSeq=3", "not covered by signed receipts");
        } finally {
            TestDatabase.get().dropScratch(PURPOSE + "gap");
        }
    }

    private static void retire(Jdbi jdbi, String partition, String statement) {
        jdbi.useExtension(RetentionDao.class, dao -> dao.retirePartition(partition, new String[] {"acme"},
                new UUID[] {UUID.randomUUID()}, new UUID[] {UUID.randomUUID()}, new String[] {statement},
                new String[] {"k"}, new String[] {"00"}));
    }

    private static int delete(Jdbi jdbi, String statement, Instant receivedFrom, Instant receivedTo) {
        return jdbi.withExtension(RetentionDao.class, dao -> dao.deleteWithReceipt("acme", new long[] {1, 2, 3},
                UUID.randomUUID(), null, statement, "k", new byte[] {0}, receivedFrom, receivedTo));
    }

    private static String name(Partitions partitions, int daysAgo) {
        Instant at = TODAY.minus(Duration.ofDays(daysAgo)).plus(Duration.ofHours(12));
        return partitions.list().stream().filter(p -> p.holds(at)).findFirst().orElseThrow().name();
    }

    /** Events received at noon {@code daysAgo} days ago, occurred then too. */
    private static List<EventDraft> events(int daysAgo, String actor, String category, int count) {
        Instant at = TODAY.minus(Duration.ofDays(daysAgo)).plus(Duration.ofHours(12));
        if (daysAgo == 0) {
            at = Timestamps.now();
        }
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            drafts.add(new EventDraft("doc.view", new Actor(actor, "user", null, null), at, at.plusMillis(i), category,
                    Outcome.SUCCESS, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty()));
        }
        return drafts;
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static String text(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }
}
