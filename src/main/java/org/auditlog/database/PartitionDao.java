package org.auditlog.database;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The time partitions of {@code audit_events} (migrations/018-partitions.xml). */
@RegisterConstructorMapper(Partitions.Partition.class)
public interface PartitionDao {
    @SqlQuery("select name, case when isfinite(from_at) then from_at end as \"from\", "
            + "case when isfinite(to_at) then to_at end as \"to\" from audit_event_partitions order by from_at")
    List<Partitions.Partition> partitions();

    /** Creates the partition that holds {@code at} when none does; answers its name. */
    @SqlQuery("select audit_events_partition_for(:at, :interval)")
    String partitionFor(@Bind("at") Instant at, @Bind("interval") String interval);
}
