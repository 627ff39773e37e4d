package org.auditlog.query;

import java.util.List;
import java.util.Map;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.StoredEventMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMap;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Filtered reads; {@code where} always comes from {@link FilterSql}, whose values are all bound. */
@RegisterRowMapper(StoredEventMapper.class)
@RegisterConstructorMapper(QueryDao.Bucket.class)
public interface QueryDao {
    record Bucket(String key, long count) {
    }

    @SqlQuery("select " + StoredEventMapper.COLUMNS + " from audit_events where <where> "
            + "order by occurred_at <direction>, seq <direction> limit :limit")
    List<AuditEvent> page(@Define("where") String where, @Define("direction") String direction,
                          @BindMap Map<String, Object> parameters, @Bind("limit") int limit);

    /**
     * A page of a filter that matches on metadata. PostgreSQL cannot estimate how many events hold a
     * metadata value, and guessing "few" for a common one it collects every match through the GIN
     * index to sort them (seconds at 100,000 matches), where reading the newest events in order
     * finds a page in milliseconds. So the newest {@code probeRows} events that pass the other
     * conditions are read in order first; if they hold a full page, that is the page (they are a
     * prefix of the order, so it is exact), otherwise the plain query runs, which is the right plan
     * for a rare value. Each branch is gated by a one-time test: only one of them reads the table.
     */
    @SqlQuery("with probe as materialized (select " + StoredEventMapper.COLUMNS + " from (select * from audit_events "
            + "where <where> order by occurred_at <direction>, seq <direction> limit :probeRows) newest "
            + "where <metadata> order by occurred_at <direction>, seq <direction> limit :limit) "
            + "select * from (select * from probe where (select count(*) from probe) = :limit "
            + "union all select * from (select " + StoredEventMapper.COLUMNS + " from audit_events where <where> and <metadata> "
            + "order by occurred_at <direction>, seq <direction> limit :limit) plain "
            + "where (select count(*) from probe) < :limit) page "
            + "order by occurred_at <direction>, seq <direction>")
    List<AuditEvent> pageMatchingMetadata(@Define("where") String where, @Define("metadata") String metadata,
                                          @Define("direction") String direction, @BindMap Map<String, Object> parameters,
                                          @Bind("limit") int limit, @Bind("probeRows") int probeRows);

    @SqlQuery("select coalesce((select last_seq from chain_heads where tenant = :tenant), 0)")
    long headSeq(@Bind("tenant") String tenant);

    @SqlQuery("select <key> as key, count(*) as count from audit_events where <where> "
            + "group by 1 order by <order> limit :limit")
    List<Bucket> buckets(@Define("key") String key, @Define("order") String order, @Define("where") String where,
                         @BindMap Map<String, Object> parameters, @Bind("limit") int limit);

    @SqlQuery("select count(*) from audit_events where <where>")
    long count(@Define("where") String where, @BindMap Map<String, Object> parameters);
}
