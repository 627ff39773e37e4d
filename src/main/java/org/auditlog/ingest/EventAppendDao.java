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

    // One probe of idempotency_keys' primary key per key, whatever the statistics say (a partitioned
    // audit_events cannot keep the pair unique, and looking a key up there probes every partition), then,
    // for a key found, its event by (tenant, seq) in the one partition its time of receipt names. With
    // "key = any(:keys)", or with the tenant bound as a value the planner can see, a tenant that grew
    // since the last ANALYZE gets a plan that scans all of its keys; "(select :tenant)" hides the tenant
    // from the plan. A key whose event retention deleted finds nothing: the event is stored anew.
    // IdempotencyLookupPlanTest holds the plan to this.
    @SqlQuery("select e.* from unnest(:keys) as k(key)"
            + " cross join lateral (select seq, received_at from idempotency_keys where tenant = (select :tenant)"
            + " and key = k.key) i"
            + " cross join lateral (select <eventColumns> from audit_events where tenant = (select :tenant)"
            + " and seq = i.seq and received_at = i.received_at limit 1) e")
    List<AuditEvent> findByIdempotencyKeys(@Bind("tenant") String tenant, @Bind("keys") String[] keys);
}
