package org.auditlog.database;

import static java.util.Objects.requireNonNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time partitions of {@code audit_events}, by the time the service received each event. Ahead of
 * time, at start and on the hourly {@code partitions} job, the current partition and
 * {@code storage.partitionsAhead} more are created; an append whose time no partition holds (the
 * job did not run, the clock jumped) has its partition created on the spot before it is written.
 * There is never a default partition, where a late row would escape retention by partition. What is
 * known to exist is kept in memory, so that an append costs no round trip for it.
 */
public final class Partitions implements PartitionCover {
    private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);

    /** A partition and the times it holds, {@code from} inclusive and {@code to} exclusive; null is unbounded. */
    public record Partition(String name, Instant from, Instant to) {
        public boolean holds(Instant at) {
            return (from == null || !at.isBefore(from)) && (to == null || at.isBefore(to));
        }
    }

    /** How long detaching a partition waits for a lock before it gives up until the next run. */
    private static final Duration DETACH_LOCK_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern PARTITION_NAME = Pattern.compile("audit_events_[a-z0-9_]+");

    private final Jdbi jdbi;
    private final PartitionInterval interval;
    private final int ahead;
    private final DatabaseConfiguration owner;
    private volatile List<Partition> known = List.of();

    /** Partitions that can be created (by the database's function), but not dropped. */
    public Partitions(Jdbi jdbi, StorageConfiguration configuration) {
        this(jdbi, configuration, null);
    }

    /** {@code owner}: the login of the migrations, which owns the table and alone may detach and drop its partitions. */
    public Partitions(Jdbi jdbi, StorageConfiguration configuration, DatabaseConfiguration owner) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.interval = configuration.getPartitionInterval();
        this.ahead = configuration.getPartitionsAhead();
        this.owner = owner;
        Database.prepare(jdbi, PartitionDao.class);
    }

    /**
     * Detaches ({@code CONCURRENTLY}, so that ingest never waits behind it; or {@code FINALIZE}, when an
     * earlier detach was cut short) and drops each partition that retention retired, as the table's
     * owner. A partition whose lock is not had within 5 seconds stays, retired,
     * until the next run. Answers the names dropped.
     */
    public List<String> dropRetired() {
        if (owner == null) {
            throw new IllegalStateException("partitions are dropped only with the owner's login");
        }
        List<String> dropped = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(owner.getUrl(),
                owner.connectionProperties(owner.getUser(), owner.getPassword()));
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("set lock_timeout = '" + DETACH_LOCK_TIMEOUT.toMillis() + "ms'");
            List<String> retired = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("select name from retired_partitions order by to_at")) {
                while (rows.next()) {
                    retired.add(rows.getString(1));
                }
            }
            for (String name : retired) {
                if (!PARTITION_NAME.matcher(name).matches()) {
                    LOG.warn("retired partition {} is not named as a partition of audit_events: left alone", name);
                    continue;
                }
                try {
                    String state = state(connection, name);
                    if (state != null) {
                        statement.execute("alter table audit_events detach partition \"" + name + "\" "
                                + (state.equals("pending") ? "finalize" : "concurrently"));
                    }
                    statement.execute("drop table if exists \"" + name + "\"");
                    try (PreparedStatement done = connection.prepareStatement("delete from retired_partitions where name = ?")) {
                        done.setString(1, name);
                        done.executeUpdate();
                    }
                    dropped.add(name);
                    LOG.info("retired partition {} detached and dropped", name);
                } catch (SQLException e) {
                    LOG.warn("retired partition {} was not dropped now ({}); the next run tries again", name,
                            e.getSQLState());
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not reach the database as its owner to drop partitions: "
                    + e.getSQLState(), e);
        }
        refresh();
        return dropped;
    }

    /** "attached", "pending" (a detach was cut short), or null when no longer a partition. */
    private static String state(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select inhdetachpending from pg_inherits "
                + "where inhrelid = to_regclass(quote_ident(?)) and inhparent = 'audit_events'::regclass")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return !row.next() ? null : row.getBoolean(1) ? "pending" : "attached";
            }
        }
    }

    /**
     * The partition that holds {@code now} and the {@code storage.partitionsAhead} that follow it, each
     * beginning where the one before ends, created where missing.
     */
    public synchronized void createAhead(Instant now) {
        Instant at = now;
        for (int i = 0; i <= ahead && at != null; i++) {
            String name = create(at);
            refresh();
            at = known.stream().filter(p -> p.name().equals(name)).map(Partition::to).findFirst().orElse(null);
        }
    }

    @Override
    public void cover(Instant earliest, Instant latest) {
        if (holds(earliest) && holds(latest)) {
            return;
        }
        synchronized (this) {
            refresh();
            if (!holds(earliest)) {
                LOG.info("no partition holds {}: creating {}", earliest, create(earliest));
                refresh();
            }
            if (!holds(latest)) {
                LOG.info("no partition holds {}: creating {}", latest, create(latest));
            }
            refresh();
        }
    }

    @Override
    public void forget() {
        known = List.of();
    }

    /** The partitions now, oldest first. */
    public List<Partition> list() {
        return jdbi.withExtension(PartitionDao.class, PartitionDao::partitions);
    }

    public PartitionInterval interval() {
        return interval;
    }

    private boolean holds(Instant at) {
        List<Partition> partitions = known;
        for (int i = partitions.size() - 1; i >= 0; i--) {
            if (partitions.get(i).holds(at)) {
                return true;
            }
        }
        return false;
    }

    private String create(Instant at) {
        return jdbi.withExtension(PartitionDao.class, dao -> dao.partitionFor(at, interval.sqlName()));
    }

    private void refresh() {
        known = List.copyOf(list());
    }
}
