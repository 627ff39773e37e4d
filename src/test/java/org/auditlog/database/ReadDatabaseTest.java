package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void aServingReplicaAnswersUnlessItLacksWhatTheReadNeedsOrFailsToAnswer() {
        Jdbi primary = primary();
        Jdbi replica = primary();
        var metrics = new MetricRegistry();
        var reads = new ReadDatabase(primary, Optional.of(replica), Duration.ofSeconds(5), metrics);
        reads.assume(ReadDatabase.ReplicaState.measured(Duration.ofSeconds(2)));
        assertThat(reads.replicaServes()).isTrue();
        assertThat(reads.<Jdbi>read(jdbi -> jdbi)).isSameAs(replica);
        assertThat(reads.forStreaming(jdbi -> true)).isSameAs(replica);
        // the replica has not replayed what the read needs (a cursor's snapshot, an event just ingested)
        assertThat(reads.<Jdbi>read(jdbi -> Optional.empty(), jdbi -> jdbi)).isSameAs(primary);
        assertThat(reads.forStreaming(jdbi -> false)).isSameAs(primary);
        // cancelled for a conflict with recovery: made again on the primary, the replica still serving
        assertThat(reads.read(failingOn(replica, "40001"))).isSameAs(primary);
        assertThat(reads.replicaServes()).isTrue();
        // a read the replica's own mistake fails is not made again
        assertThatThrownBy(() -> reads.read(jdbi -> {
            throw failure("42601");
        })).hasRootCauseMessage("state 42601");
        assertThat(metrics.meter("database.replica.reads").getCount()).isEqualTo(2);
        assertThat(metrics.meter("database.replica.primary-reads").getCount()).isEqualTo(3);
        // the replica unreachable: the read on the primary, and no more reads for the replica until measured
        assertThat(reads.read(failingOn(replica, "08006"))).isSameAs(primary);
        assertThat(reads.replicaServes()).isFalse();
        assertThat(reads.healthCheck().execute().getMessage()).contains("down (unreachable)");
        // lagging past the limit
        reads.assume(ReadDatabase.ReplicaState.measured(Duration.ofSeconds(6)));
        assertThat(reads.<Jdbi>read(jdbi -> jdbi)).isSameAs(primary);
        assertThat(reads.healthCheck().execute().getMessage())
                .isEqualTo("the replica lags 6.0 s, more than database.maxReplicaLag 5.0 s: reads go to the primary");
        reads.assume(ReadDatabase.ReplicaState.measured(Duration.ZERO));
        assertThat(reads.healthCheck().execute().isHealthy()).isTrue();
    }

    /** A read that fails on {@code replica} with {@code sqlState} and answers the JDBI it ran on elsewhere. */
    private static java.util.function.Function<Jdbi, Jdbi> failingOn(Jdbi replica, String sqlState) {
        return jdbi -> {
            if (jdbi == replica) {
                throw failure(sqlState);
            }
            return jdbi;
        };
    }

    private static RuntimeException failure(String sqlState) {
        return new IllegalStateException("failed", new java.sql.SQLException("state " + sqlState, sqlState));
    }
}
