package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.Optional;
import org.auditlog.support.Ports;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Where reads go when the configured replica cannot serve them: a server that replays nothing (the
 * primary itself), and one that cannot be reached. The streaming case is {@code ReadReplicaIT}'s.
 */
class ReadDatabaseTest {
    private static Jdbi primary() {
        return Database.configure(Jdbi.create(TestDatabase.get().url(), "postgres", ""));
    }

    @Test
    void withoutAReplicaEveryReadIsThePrimarysAndTheCheckIsHealthy() throws Exception {
        var reads = ReadDatabase.primaryOnly(primary());
        assertThat(reads.replicaServes()).isFalse();
        assertThat(reads.<Jdbi>read(jdbi -> jdbi)).isSameAs(reads.primary());
        var result = reads.healthCheck().execute();
        assertThat(result.isHealthy()).isTrue();
        assertThat(result.getMessage()).isEqualTo("no replica configured");
    }

    @Test
    void aServerThatReplaysNothingServesNoReads() {
        Jdbi primary = primary();
        Jdbi notAReplica = primary();
        var metrics = new MetricRegistry();
        var reads = new ReadDatabase(primary, Optional.of(notAReplica), Duration.ofMinutes(10), metrics);
        assertThat(reads.measure().lag()).isEmpty();
        assertThat(reads.replicaServes()).isFalse();
        assertThat(reads.<Jdbi>read(jdbi -> jdbi)).isSameAs(primary);
        assertThat(metrics.meter("database.replica.primary-reads").getCount()).isEqualTo(1);
        var result = reads.healthCheck().execute();
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).contains("replays nothing").contains("reads go to the primary");
    }

    @Test
    void anUnreachableReplicaIsDownAndReadsGoToThePrimary() {
        Jdbi primary = primary();
        Jdbi away = Database.configure(Jdbi.create("jdbc:postgresql://127.0.0.1:" + Ports.free() + "/postgres",
                "postgres", ""));
        var metrics = new MetricRegistry();
        var reads = new ReadDatabase(primary, Optional.of(away), Duration.ofMinutes(10), metrics);
        assertThat(reads.measure().up()).isFalse();
        var result = reads.healthCheck().execute();
        assertThat(result.isHealthy()).isFalse();
        assertThat(result.getMessage()).contains("the replica is down (unreachable)").contains("reads go to the primary");
        assertThat(metrics.getGauges().get("database.replica.lag-seconds").getValue()).isEqualTo(-1.0);
        assertThat(reads.forStreaming(replica -> true)).isSameAs(primary);
        assertThat(metrics.meter("database.replica.reads").getCount()).isZero();
    }
}
