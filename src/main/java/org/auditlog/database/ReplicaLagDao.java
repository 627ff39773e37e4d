package org.auditlog.database;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** How far a streaming replica is behind its primary. */
public interface ReplicaLagDao {
    /** On the primary: where its WAL ends now. */
    @SqlQuery("select pg_current_wal_lsn()::text")
    String currentLsn();

    /**
     * On the replica: 0 when it has replayed the primary's WAL up to {@code lsn}, else the seconds since
     * the last transaction it replayed committed; empty when it replays nothing (not a replica, or
     * nothing replayed yet).
     */
    @SqlQuery("select case when pg_wal_lsn_diff(cast(:lsn as pg_lsn), pg_last_wal_replay_lsn()) <= 0 then 0 "
            + "else extract(epoch from clock_timestamp() - pg_last_xact_replay_timestamp())::float8 end")
    Optional<Double> lagSeconds(@Bind("lsn") String primaryLsn);
}
