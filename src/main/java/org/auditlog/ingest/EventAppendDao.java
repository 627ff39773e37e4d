package org.auditlog.ingest;

import java.util.List;
import java.util.Optional;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventColumns;
import org.auditlog.event.StoredEventMapper;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The SQL of appending to a tenant's chain; used inside the appender's transaction, but for
 * {@link #lastSeq}, which asks how far a chain has come without locking it.
 */
@RegisterRowMapper(StoredEventMapper.class)
@EventColumns
@RegisterConstructorMapper(ChainHead.class)
public interface EventAppendDao extends SqlObject {
    @SqlQuery("select last_seq, last_hash from chain_heads where tenant = :tenant for update")
    Optional<ChainHead> lockHead(@Bind("tenant") String tenant);

    @SqlQuery("select coalesce((select last_seq from chain_heads where tenant = :tenant), 0)")
    long lastSeq(@Bind("tenant") String tenant);

    @SqlUpdate("insert into chain_heads (tenant, last_seq, last_hash) values (:tenant, 0, :genesis) "
            + "on conflict (tenant) do nothing")
    void createHead(@Bind("tenant") String tenant, @Bind("genesis") byte[] genesis);

    @SqlUpdate("update chain_heads set last_seq = :lastSeq, last_hash = :lastHash, updated_at = now() "
            + "where tenant = :tenant")
    void moveHead(@Bind("tenant") String tenant, @BindMethods ChainHead head);

    // One index probe per key, whatever the statistics say: with "idempotency_key = any(:keys)", or
    // with the tenant bound as a value the planner can see, a tenant that grew since the last ANALYZE
    // gets a plan that scans all of its keys. "limit 1" (the pair is unique) keeps the lateral
    // subquery from being flattened; "is not null" names the partial index's predicate, which
    // "= k.key" does not prove; "(select :tenant)" hides the tenant from the plan.
    // IdempotencyLookupPlanTest holds the plan to this.
    @SqlQuery("select e.* from unnest(:keys) as k(key) cross join lateral (select <eventColumns>"
            + " from audit_events where tenant = (select :tenant) and idempotency_key is not null"
            + " and idempotency_key = k.key limit 1) e")
    List<AuditEvent> findByIdempotencyKeys(@Bind("tenant") String tenant, @Bind("keys") String[] keys);
}
