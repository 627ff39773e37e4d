package org.auditlog.query;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.StoredEventMapper;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMap;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Filtered reads; {@code where} always comes from {@link FilterSql}, whose values are all bound. */
@RegisterRowMapper(StoredEventMapper.class)
@RegisterConstructorMapper(QueryDao.Bucket.class)
@RegisterConstructorMapper(QueryDao.Window.class)
public interface QueryDao {
    record Bucket(String key, long count) {
    }

    @SqlQuery("select " + StoredEventMapper.COLUMNS + " from audit_events where <where> "
            + "order by occurred_at <direction>, seq <direction> limit :limit")
    List<AuditEvent> page(@Define("where") String where, @Define("direction") String direction,
                          @BindMap Map<String, Object> parameters, @Bind("limit") int limit);

    /**
     * The events among the newest {@code window} that pass {@code where} which also match
     * {@code metadata}, in order, at most {@code limit}: the subquery is read through the time index
     * and stops at the window, whatever PostgreSQL guesses of the metadata value (see
     * {@link MetadataWindows}).
     */
    @SqlQuery("select " + StoredEventMapper.COLUMNS + " from (select * from audit_events where <where> "
            + "order by occurred_at <direction>, seq <direction> limit :window) newest "
            + "where <metadata> order by occurred_at <direction>, seq <direction> limit :limit")
    List<AuditEvent> pageAmongNewest(@Define("where") String where, @Define("metadata") String metadata,
                                     @Define("direction") String direction, @BindMap Map<String, Object> parameters,
                                     @Bind("limit") int limit, @Bind("window") int window);

    /**
     * Of the newest {@code window} events that pass {@code where}: how many, how many are not
     * recorded reads, and when the last of them in the order happened ({@code last} is {@code min}
     * when the order is descending, else {@code max}); null when none passes.
     */
    @SqlQuery("select count(*) as events, count(*) filter (where category <> '" + AuditTrail.ACCESS + "') as not_reads, "
            + "<last>(occurred_at) as last_at from (select category, occurred_at from audit_events where <where> "
            + "order by occurred_at <direction>, seq <direction> limit :window) newest")
    Window window(@Define("where") String where, @Define("direction") String direction, @Define("last") String last,
                  @BindMap Map<String, Object> parameters, @Bind("window") int window);

    /** What {@link #window} saw. */
    record Window(long events, long notReads, Timestamp lastAt) {
        MetadataWindows.Mix mix() {
            return new MetadataWindows.Mix(events, notReads);
        }
    }

    @SqlQuery("select coalesce((select last_seq from chain_heads where tenant = :tenant), 0)")
    long headSeq(@Bind("tenant") String tenant);

    @SqlQuery("select <key> as key, count(*) as count from audit_events where <where> "
            + "group by 1 order by <order> limit :limit")
    List<Bucket> buckets(@Define("key") String key, @Define("order") String order, @Define("where") String where,
                         @BindMap Map<String, Object> parameters, @Bind("limit") int limit);

    @SqlQuery("select count(*) from audit_events where <where>")
    long count(@Define("where") String where, @BindMap Map<String, Object> parameters);
}
