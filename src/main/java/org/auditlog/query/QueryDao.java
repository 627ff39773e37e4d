package org.auditlog.query;

import java.sql.Timestamp;
import java.util.List;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventColumns;
import org.auditlog.event.StoredEventMapper;
import org.auditlog.filter.BindWhere;
import org.auditlog.filter.EventGroup;
import org.auditlog.filter.EventWhere;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Filtered reads; {@code where} always comes from {@link EventWhere}, whose values are all bound. */
@RegisterRowMapper(StoredEventMapper.class)
@EventColumns
@RegisterConstructorMapper(QueryDao.Bucket.class)
@RegisterConstructorMapper(QueryDao.Window.class)
public interface QueryDao {
    record Bucket(String key, long count) {
    }

    @SqlQuery("select <eventColumns> from audit_events where <where> "
            + "order by occurred_at <direction>, seq <direction> limit :limit")
    List<AuditEvent> page(@BindWhere EventWhere where, @Define("direction") String direction, @Bind("limit") int limit);

    /**
     * The events among the newest {@code window} that pass {@code where} but its metadata conditions
     * which also match those, in order, at most {@code limit}: the subquery is read through the time index
     * and stops at the window, whatever PostgreSQL guesses of the metadata value (see
     * {@link MetadataWindows}).
     */
    @SqlQuery("select <eventColumns> from (select * from audit_events where <whereButMetadata> "
            + "order by occurred_at <direction>, seq <direction> limit :window) newest "
            + "where <whereMetadata> order by occurred_at <direction>, seq <direction> limit :limit")
    List<AuditEvent> pageAmongNewest(@BindWhere EventWhere where, @Define("direction") String direction,
                                     @Bind("limit") int limit, @Bind("window") int window);

    /**
     * Of the newest {@code window} events that pass {@code where} but its metadata conditions: how many, how many are not
     * recorded reads, and when the last of them in the order happened ({@code last} is {@code min}
     * when the order is descending, else {@code max}); null when none passes.
     */
    @SqlQuery("select count(*) as events, count(*) filter (where category <> '" + AuditTrail.ACCESS + "') as not_reads, "
            + "<last>(occurred_at) as last_at from (select category, occurred_at from audit_events where <whereButMetadata> "
            + "order by occurred_at <direction>, seq <direction> limit :window) newest")
    Window window(@BindWhere EventWhere where, @Define("direction") String direction, @Define("last") String last,
                  @Bind("window") int window);

    /** What {@link #window} saw. */
    record Window(long events, long notReads, Timestamp lastAt) {
        MetadataWindows.Mix mix() {
            return new MetadataWindows.Mix(events, notReads);
        }
    }

    @SqlQuery("select coalesce((select last_seq from chain_heads where tenant = :tenant), 0)")
    long headSeq(@Bind("tenant") String tenant);

    /** The counts of the groups of what {@code where} matches: in time order by time, else the largest first. */
    default List<Bucket> buckets(EventGroup group, EventWhere where, int limit) {
        return buckets(group.sql(), group.byTime() ? "1 asc" : "2 desc, 1 asc", where, limit);
    }

    @SqlQuery("select <key> as key, count(*) as count from audit_events where <where> "
            + "group by 1 order by <order> limit :limit")
    List<Bucket> buckets(@Define("key") String key, @Define("order") String order, @BindWhere EventWhere where,
                         @Bind("limit") int limit);

    @SqlQuery("select count(*) from audit_events where <where>")
    long count(@BindWhere EventWhere where);
}
