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

/** The SQL of appending to a tenant's chain; used only inside the appender's transaction. */
@RegisterRowMapper(StoredEventMapper.class)
@EventColumns
@RegisterConstructorMapper(ChainHead.class)
public interface EventAppendDao extends SqlObject {
    @SqlQuery("select last_seq, last_hash from chain_heads where tenant = :tenant for update")
    Optional<ChainHead> lockHead(@Bind("tenant") String tenant);

    @SqlUpdate("insert into chain_heads (tenant, last_seq, last_hash) values (:tenant, 0, :genesis) "
            + "on conflict (tenant) do nothing")
    void createHead(@Bind("tenant") String tenant, @Bind("genesis") byte[] genesis);

    @SqlUpdate("update chain_heads set last_seq = :lastSeq, last_hash = :lastHash, updated_at = now() "
            + "where tenant = :tenant")
    void moveHead(@Bind("tenant") String tenant, @BindMethods ChainHead head);

    // One index probe per key, whatever the statistics say. With "idempotency_key = any(:keys)" the
    // planner, believing a tenant that grew since the last ANALYZE to hold a row or two, scanned all
    // of the tenant's keys and filtered them (150 ms per commit at 230,000 keys, on every commit).
    // "limit 1" (the pair is unique) keeps the lateral subquery from being flattened into that plan;
    // "is not null" names the partial index's predicate, which "= k.key" does not prove. The tenant
    // is compared as "(select :tenant)", a value the plan cannot see: planned with it bound, the
    // same belief chose another index starting with the tenant and filtered the tenant's whole range
    // for each key (4 s for 20 keys in a tenant grown to 600,000 events), on a connection's first
    // executions of the statement, before it has a generic plan. IdempotencyLookupPlanTest.
    @SqlQuery("select e.* from unnest(:keys) as k(key) cross join lateral (select <eventColumns>"
            + " from audit_events where tenant = (select :tenant) and idempotency_key is not null"
            + " and idempotency_key = k.key limit 1) e")
    List<AuditEvent> findByIdempotencyKeys(@Bind("tenant") String tenant, @Bind("keys") String[] keys);
}
