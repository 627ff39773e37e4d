package org.auditlog.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.bucket4j.ConsumptionProbe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The buckets in PostgreSQL, as the rate limit uses them: at first use, after expiry, and their cleanup. */
class SharedBucketsTest {
    private static String url;
    private static SharedBuckets buckets;

    @BeforeAll
    static void database() throws Exception {
        TestDatabase.get().migratedScratch("buckets");
        url = TestDatabase.get().scratchUrl("buckets");
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(url);
        source.setUser("postgres");
        buckets = new SharedBuckets(source);
    }

    @AfterAll
    static void drop() {
        TestDatabase.get().dropScratch("buckets");
    }

    /** 32 requests at once on a bucket that has no row: each gets its answer, none an error. */
    private static List<ConsumptionProbe> atOnce(String id, int burst) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ConsumptionProbe>> answers = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return buckets.tryConsume(id, burst, 1);
                }));
            }
            start.countDown();
            List<ConsumptionProbe> probes = new ArrayList<>();
            for (Future<ConsumptionProbe> answer : answers) {
                probes.add(answer.get());
            }
            return probes;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentFirstRequestsOfABucketAllGetAnAnswerAndTheBurstHolds() throws Exception {
        List<ConsumptionProbe> probes = atOnce("key:first-use", 10);
        // the burst of 10 (one a second refills): at most a block more than the burst across the instance's batches
        assertThat(probes.stream().filter(ConsumptionProbe::isConsumed).count()).isBetween(10L, 12L);
        assertThat(TestDatabase.count(url, "select count(*) from rate_limit_buckets where id = 'key:first-use'")).isEqualTo(1);
    }

    @Test
    void aBucketDeletedWhileThisInstanceHoldsItIsMadeAgain() throws Exception {
        assertThat(buckets.tryConsume("tenant:expired", 100, 10).isConsumed()).isTrue();
        Thread.sleep(2 * SharedBuckets.SETTLE_EVERY.toMillis()); // settled with the database
        buckets.tryConsume("tenant:expired", 100, 10);
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", ""); var s = c.createStatement()) {
            s.execute("delete from rate_limit_buckets where id = 'tenant:expired'");
        }
        assertThat(atOnce("tenant:expired", 100)).allMatch(ConsumptionProbe::isConsumed);
    }

    @Test
    void expiredBucketsAreDeletedInBatchesUntilNoneIsLeft() throws Exception {
        try (var c = java.sql.DriverManager.getConnection(url, "postgres", ""); var s = c.createStatement()) {
            s.execute("insert into rate_limit_buckets (id, state, expires_at) select 'key:old-' || n, null, 1"
                    + " from generate_series(1, 2500) n");
            s.execute("insert into rate_limit_buckets (id, state, expires_at) values ('key:fresh', null, "
                    + (System.currentTimeMillis() + 3_600_000) + ")");
        }
        assertThat(buckets.removeAllExpired()).isGreaterThanOrEqualTo(2500);
        assertThat(TestDatabase.count(url, "select count(*) from rate_limit_buckets where id like 'key:old-%'")).isZero();
        assertThat(TestDatabase.count(url, "select count(*) from rate_limit_buckets where id = 'key:fresh'")).isEqualTo(1);
    }
}
