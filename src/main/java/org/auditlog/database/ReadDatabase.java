package org.auditlog.database;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which database a client's read goes to: the read replica ({@code database.readReplica}) while it
 * is up and no further behind the primary than {@code database.maxReplicaLag}, otherwise the
 * primary. A daemon thread measures the replica's lag every second; a read that the replica cannot
 * answer (it is unreachable, or it has not yet replayed what the read must see) is made again on
 * the primary. Writes, and reads that must see the service's own writes, use {@link #primary()}.
 */
public final class ReadDatabase implements Managed {
    static final Duration EVERY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(ReadDatabase.class);

    /** What the last measurement found; {@code lag} is empty when the replica is down or replays nothing. */
    public record ReplicaState(boolean up, Optional<Duration> lag, String problem) {
        public ReplicaState {
            requireNonNull(lag, "lag is null");
            requireNonNull(problem, "problem is null");
        }

        static ReplicaState measured(Duration lag) {
            return new ReplicaState(true, Optional.of(lag), "");
        }

        static ReplicaState down(String problem) {
            return new ReplicaState(false, Optional.empty(), problem);
        }
    }

    private final Jdbi primary;
    private final Optional<Jdbi> replica;
    private final Duration maxLag;
    private final Meter replicaReads;
    private final Meter primaryReads;
    private volatile ReplicaState state = ReplicaState.down("not measured yet");
    private ScheduledExecutorService monitor;

    public ReadDatabase(Jdbi primary, Optional<Jdbi> replica, Duration maxLag, MetricRegistry metrics) {
        this.primary = requireNonNull(primary, "primary is null");
        this.replica = requireNonNull(replica, "replica is null");
        this.maxLag = requireNonNull(maxLag, "maxLag is null");
        this.replicaReads = metrics.meter("database.replica.reads");
        this.primaryReads = metrics.meter("database.replica.primary-reads");
        metrics.gauge("database.replica.lag-seconds", () -> (Gauge<Double>) () -> state.lag()
                .map(lag -> lag.toMillis() / 1000.0).orElse(replica.isPresent() ? -1.0 : 0.0));
        metrics.gauge("database.replica.serving", () -> (Gauge<Integer>) () -> replicaServes() ? 1 : 0);
    }

    /** Every read on the one database. */
    public static ReadDatabase primaryOnly(Jdbi primary) {
        return new ReadDatabase(primary, Optional.empty(), Duration.ofSeconds(5), new MetricRegistry());
    }

    /** For writes and for reads that must see the service's own writes. */
    public Jdbi primary() {
        return primary;
    }

    /** The replica's JDBI when one is configured, for settings every read JDBI must share. */
    public Optional<Jdbi> replica() {
        return replica;
    }

    /** A read that may go to the replica (made again on the primary when the replica cannot answer). */
    public <R> R read(Function<Jdbi, R> read) {
        return read(jdbi -> Optional.of(read.apply(jdbi)), read);
    }

    /**
     * {@code onReplica} on the replica when it may serve reads; its empty answer (the replica has not
     * replayed what the read needs), its failure to reach the replica, or the replica cancelling it
     * for a conflict with recovery sends the read to the primary, as {@code onPrimary}. Any other
     * failure is the read's own and is not made again.
     */
    public <R> R read(Function<Jdbi, Optional<R>> onReplica, Function<Jdbi, R> onPrimary) {
        if (replicaServes()) {
            Optional<R> answer;
            try {
                answer = onReplica.apply(replica.orElseThrow());
            } catch (RuntimeException e) {
                if (DatabaseFailures.isUnavailable(e)) {
                    down(e);
                } else if (!DatabaseFailures.isRecoveryConflict(e)) {
                    throw e;
                }
                answer = Optional.empty();
            }
            if (answer.isPresent()) {
                replicaReads.mark();
                return answer.get();
            }
        }
        primaryReads.mark();
        return onPrimary.apply(primary);
    }

    /**
     * The JDBI of a read that cannot be made again once begun (a streamed export, whose rows have left):
     * the replica while it serves reads and {@code replayed} says it holds what the read must see,
     * else the primary.
     */
    public Jdbi forStreaming(java.util.function.Predicate<Jdbi> replayed) {
        if (replicaServes()) {
            Jdbi jdbi = replica.orElseThrow();
            try {
                if (replayed.test(jdbi)) {
                    replicaReads.mark();
                    return jdbi;
                }
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isUnavailable(e)) {
                    throw e;
                }
                down(e);
            }
        }
        primaryReads.mark();
        return primary;
    }

    private void down(RuntimeException e) {
        state = ReplicaState.down(describe(e));
        LOG.warn("the read replica failed a read, reads go to the primary: {}", state.problem());
    }

    public boolean replicaServes() {
        ReplicaState current = state;
        return replica.isPresent() && current.up() && current.lag().filter(lag -> lag.compareTo(maxLag) <= 0).isPresent();
    }

    public ReplicaState state() {
        return state;
    }

    /** As if a measurement had found {@code measured}: for tests of the routing. */
    void assume(ReplicaState measured) {
        state = requireNonNull(measured, "measured is null");
    }

    /** Measures the replica's lag now. */
    public ReplicaState measure() {
        if (replica.isEmpty()) {
            return state;
        }
        ReplicaState measured;
        try {
            String lsn = primary.withExtension(ReplicaLagDao.class, ReplicaLagDao::currentLsn);
            try {
                measured = replica.get().withExtension(ReplicaLagDao.class, dao -> dao.lagSeconds(lsn))
                        .map(seconds -> ReplicaState.measured(Duration.ofMillis(Math.round(seconds * 1000))))
                        .orElseGet(() -> new ReplicaState(true, Optional.empty(),
                                "the replica replays nothing from the primary"));
            } catch (RuntimeException e) {
                measured = ReplicaState.down(describe(e));
            }
        } catch (RuntimeException e) {
            // the primary is away: the replica's lag is unknown, and the last state stands
            return state;
        }
        state = measured;
        return measured;
    }

    /** The {@code replica} health check: unhealthy while reads that could go to the replica go to the primary. */
    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                if (replica.isEmpty()) {
                    return Result.healthy("no replica configured");
                }
                ReplicaState current = state;
                if (!current.up()) {
                    return Result.unhealthy("the replica is down (" + current.problem() + "): reads go to the primary");
                }
                if (current.lag().isEmpty()) {
                    return Result.unhealthy(current.problem() + ": reads go to the primary");
                }
                String lag = seconds(current.lag().get());
                if (!replicaServes()) {
                    return Result.unhealthy("the replica lags " + lag + ", more than database.maxReplicaLag "
                            + seconds(maxLag) + ": reads go to the primary");
                }
                return Result.healthy("the replica lags " + lag + ": reads go to the replica");
            }
        };
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** The failure's kind, never its text, which could name the server's address and login. */
    private static String describe(RuntimeException e) {
        return DatabaseFailures.isUnavailable(e) ? "unreachable" : "its lag could not be read";
    }

    @Override
    public void start() {
        if (replica.isEmpty()) {
            return;
        }
        monitor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "replica-lag");
            thread.setDaemon(true);
            return thread;
        });
        monitor.scheduleWithFixedDelay(() -> {
            try {
                measure();
            } catch (RuntimeException e) {
                LOG.warn("the read replica's lag could not be measured: {}", e.toString());
            }
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (monitor != null) {
            monitor.shutdownNow();
        }
    }
}
