package org.auditlog.ingest;

import java.util.List;
import java.util.Optional;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.StoredEventMapper;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The SQL of appending to a tenant's chain; used only inside the appender's transaction. */
@RegisterRowMapper(StoredEventMapper.class)
@RegisterConstructorMapper(ChainHead.class)
public interface EventAppendDao {
    @SqlQuery("select last_seq, last_hash from chain_heads where tenant = :tenant for update")
    Optional<ChainHead> lockHead(@Bind("tenant") String tenant);

    @SqlUpdate("insert into chain_heads (tenant, last_seq, last_hash) values (:tenant, 0, :genesis) "
            + "on conflict (tenant) do nothing")
    void createHead(@Bind("tenant") String tenant, @Bind("genesis") byte[] genesis);

    @SqlUpdate("update chain_heads set last_seq = :lastSeq, last_hash = :lastHash, updated_at = now() "
            + "where tenant = :tenant")
    void moveHead(@Bind("tenant") String tenant, @BindMethods ChainHead head);

    @SqlQuery("select " + StoredEventMapper.COLUMNS + " from audit_events "
            + "where tenant = :tenant and idempotency_key = any(:keys)")
    List<AuditEvent> findByIdempotencyKeys(@Bind("tenant") String tenant, @Bind("keys") String[] keys);

    @SqlBatch("insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome, "
            + "actor_id, actor_type, actor_name, actor_email, resource_type, resource_id, resource_name, source_ip, "
            + "user_agent, request_id, reason, changes, metadata, idempotency_key, prev_hash, hash) values ("
            + ":tenant, :seq, :id, :occurredAt, :receivedAt, :category, :action, :outcome, :actorId, :actorType, "
            + ":actorName, :actorEmail, :resourceType, :resourceId, :resourceName, :sourceIp, :userAgent, "
            + ":requestId, :reason, cast(:changes as jsonb), cast(:metadata as jsonb), :idempotencyKey, "
            + ":prevHash, :hash)")
    void insert(@BindMethods List<EventRow> rows);
}
