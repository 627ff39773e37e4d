package org.auditlog.stream;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventColumns;
import org.auditlog.event.StoredEventMapper;
import org.auditlog.filter.BindWhere;
import org.auditlog.filter.EventWhere;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** What delivery reads and writes: leases, the tenant's events past a cursor, the cursor and failures. */
@RegisterRowMapper(StreamDao.Mapper.class)
@RegisterConstructorMapper(DeliveryDao.Head.class)
@RegisterConstructorMapper(DeliveryDao.Link.class)
public interface DeliveryDao {
    /** The tenant's chain head: its newest seq and hash. */
    record Head(long seq, byte[] hash) {
    }

    /** A stored event's seq and hash. */
    record Link(long seq, byte[] hash, Instant receivedAt) {
    }

    /**
     * Takes up to {@code limit} active streams that have events to send and are due, for a lease: no
     * other instance takes them until it ends or {@code me} gives them back.
     */
    @SqlQuery("update streams as s set lease_owner = :me, lease_until = now() + make_interval(secs => :leaseSeconds) "
            + "where s.id in (select t.id from streams t join chain_heads h on h.tenant = t.tenant "
            + "where t.state = 'active' and (t.lease_until is null or t.lease_until < now()) "
            + "and (t.next_attempt_at is null or t.next_attempt_at <= now()) and h.last_seq > t.delivered_through_seq "
            + "order by t.next_attempt_at nulls first, t.id limit :limit for update of t skip locked) "
            + "returning " + StreamDao.COLUMNS)
    List<Stream> claim(@Bind("me") String me, @Bind("leaseSeconds") double leaseSeconds, @Bind("limit") int limit);

    @SqlQuery("select last_seq as seq, last_hash as hash from chain_heads where tenant = :tenant")
    Optional<Head> head(@Bind("tenant") String tenant);

    /**
     * The tenant's stored events after {@code after}, at most {@code head}, in seq order: the gaps are
     * deleted seqs. The tenant's primary key serves it whatever the values: its plan may be made once.
     */
    @SqlQuery("select seq, hash, received_at from audit_events where tenant = :tenant and seq > :after and seq <= :head "
            + "order by seq limit :batch")
    List<Link> links(@Bind("tenant") String tenant, @Bind("after") long after, @Bind("head") long head,
                     @Bind("batch") int batch);

    @SqlQuery("select <eventColumns> from audit_events where <where> order by seq")
    @RegisterRowMapper(StoredEventMapper.class)
    @EventColumns
    List<AuditEvent> events(@BindWhere EventWhere where);

    /**
     * Moves the cursor to {@code to}, unless the stream was replayed, deleted or taken by another
     * instance meanwhile ({@code from} is the cursor the batch was read after). {@code lostFrom} and
     * {@code lostTo} (or null) widen the span of seqs lost to retention. Answers 1 when it moved.
     */
    @SqlUpdate("update streams set delivered_through_seq = :to, delivered_hash = :hash, "
            + "lost_from_seq = least(lost_from_seq, cast(:lostFrom as bigint)), "
            + "lost_to_seq = greatest(lost_to_seq, cast(:lostTo as bigint)), "
            + "attempts = 0, last_error = null, failing_since = null, next_attempt_at = null, "
            + "last_attempt_at = case when :sent then :now else last_attempt_at end, "
            + "last_delivered_at = case when :sent then :now else last_delivered_at end, "
            + "lease_until = now() + make_interval(secs => :leaseSeconds) "
            + "where id = :id and lease_owner = :me and delivered_through_seq = :from")
    int advance(@Bind("id") UUID id, @Bind("me") String me, @Bind("from") long from, @Bind("to") long to,
                @Bind("hash") byte[] hash, @Bind("lostFrom") Long lostFrom, @Bind("lostTo") Long lostTo,
                @Bind("sent") boolean sent, @Bind("now") Instant now, @Bind("leaseSeconds") double leaseSeconds);

    /** A failed attempt: counted, its error kept, the next one not before {@code next}; the lease given back. */
    @SqlQuery("update streams set attempts = attempts + 1, last_error = :error, last_attempt_at = :now, "
            + "failing_since = coalesce(failing_since, :now), next_attempt_at = :next, lease_owner = null, "
            + "lease_until = null where id = :id and lease_owner = :me returning failing_since")
    Optional<Instant> failed(@Bind("id") UUID id, @Bind("me") String me, @Bind("error") String error,
                             @Bind("now") Instant now, @Bind("next") Instant next);

    /** Pauses a stream that kept failing; answers 1 when it was active until now. */
    @SqlUpdate("update streams set state = 'paused', paused_reason = :reason, updated_at = :now "
            + "where id = :id and state = 'active'")
    int pauseFailing(@Bind("id") UUID id, @Bind("reason") String reason, @Bind("now") Instant now);

    @SqlUpdate("update streams set lease_owner = null, lease_until = null where id = :id and lease_owner = :me")
    void release(@Bind("id") UUID id, @Bind("me") String me);

    @SqlUpdate("update streams set lease_owner = null, lease_until = null where lease_owner = :me")
    void releaseAll(@Bind("me") String me);

    /** Every stream with its status, for the health check and the metrics. */
    @SqlQuery(StreamDao.STATUS + "order by s.tenant, s.name")
    List<Stream> all();
}
