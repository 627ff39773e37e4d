package org.auditlog.integrity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventColumns;
import org.auditlog.event.StoredEventMapper;
import org.jdbi.v3.core.result.ResultIterable;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.FetchSize;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Reads for verification. {@link #events} streams: call it only inside a transaction. */
@RegisterRowMapper(StoredEventMapper.class)
@EventColumns
@RegisterConstructorMapper(VerificationDao.State.class)
public interface VerificationDao {
    /** How far continuous verification has come for a tenant. */
    record State(String tenant, long verifiedSeq, byte[] verifiedHash, boolean ok, Long firstBrokenSeq, String reason,
                 Instant fullAt, String keyId, byte[] signature) {
    }

    /** Where retention's deleted prefix ends. */
    record Anchor(long seq, byte[] hash) {
    }

    @SqlQuery("select <eventColumns> from audit_events "
            + "where tenant = :tenant and seq between :fromSeq and :toSeq order by seq")
    @FetchSize(1000)
    ResultIterable<AuditEvent> events(@Bind("tenant") String tenant, @Bind("fromSeq") long fromSeq,
                                      @Bind("toSeq") long toSeq);

    /**
     * Events and the links retention kept of deleted ones, in seq order. A partition retention retired
     * keeps its rows until it is dropped: meanwhile its events are read, not the links kept of them.
     */
    @SqlQuery("select <eventColumns>, false as link_only from audit_events "
            + "where tenant = :tenant and seq between :fromSeq and :toSeq "
            + "union all select <linkColumns>, true "
            + "from chain_links l where tenant = :tenant and seq between :fromSeq and :toSeq "
            + "and not exists (select 1 from audit_events e where e.tenant = :tenant and e.seq = l.seq) order by seq")
    @FetchSize(1000)
    @RegisterRowMapper(ChainEntry.Mapper.class)
    ResultIterable<ChainEntry> entries(@Bind("tenant") String tenant, @Bind("fromSeq") long fromSeq,
                                       @Bind("toSeq") long toSeq);

    /** The hash at a seq, of the event or of the link retention kept. */
    @SqlQuery("select hash from audit_events where tenant = :tenant and seq = :seq "
            + "union all select hash from chain_links where tenant = :tenant and seq = :seq limit 1")
    Optional<byte[]> hashAt(@Bind("tenant") String tenant, @Bind("seq") long seq);

    /** Whether the tenant stores an event (not a retention link) at a seq. */
    @SqlQuery("select exists (select 1 from audit_events where tenant = :tenant and seq = :seq)")
    boolean holdsEvent(@Bind("tenant") String tenant, @Bind("seq") long seq);

    @SqlQuery("select seq, hash from chain_anchors where tenant = :tenant")
    @RegisterConstructorMapper(Anchor.class)
    Optional<Anchor> anchor(@Bind("tenant") String tenant);

    /** The tenant's receipts that cover a seq at or after {@code fromSeq}. */
    @SqlQuery("select id, statement, key_id, signature from retention_receipts "
            + "where tenant = :tenant and last_seq >= :fromSeq order by first_seq")
    @RegisterConstructorMapper(RetentionReceipts.Stored.class)
    List<RetentionReceipts.Stored> receipts(@Bind("tenant") String tenant, @Bind("fromSeq") long fromSeq);

    @SqlQuery("select last_seq from chain_heads where tenant = :tenant")
    Optional<Long> headSeq(@Bind("tenant") String tenant);

    @SqlQuery("select tenant from chain_heads order by tenant")
    List<String> tenants();

    String STATE_COLUMNS = "tenant, verified_seq, verified_hash, ok, first_broken_seq, reason, full_at, key_id, signature";

    @SqlQuery("select " + STATE_COLUMNS + " from verification_state where tenant = :tenant")
    Optional<State> state(@Bind("tenant") String tenant);

    @SqlQuery("select " + STATE_COLUMNS + " from verification_state where not ok order by tenant")
    List<State> broken();

    @SqlQuery("select " + STATE_COLUMNS + " from verification_state order by tenant")
    List<State> states();

    /** Records a tenant's last verification as failed, keeping how far it had verified. */
    @SqlUpdate("insert into verification_state (tenant, verified_seq, checked_at, ok, first_broken_seq, reason) "
            + "values (:tenant, 0, now(), false, 1, :reason) on conflict (tenant) do update set checked_at = now(), "
            + "ok = false, first_broken_seq = verification_state.verified_seq + 1, reason = excluded.reason")
    void markBroken(@Bind("tenant") String tenant, @Bind("reason") String reason);

    @SqlUpdate("insert into verification_state (tenant, verified_seq, verified_hash, checked_at, ok, first_broken_seq, "
            + "reason, full_at, key_id, signature) values (:tenant, :verifiedSeq, :verifiedHash, now(), :ok, "
            + ":firstBrokenSeq, :reason, :fullAt, :keyId, :signature) "
            + "on conflict (tenant) do update set verified_seq = excluded.verified_seq, "
            + "verified_hash = excluded.verified_hash, checked_at = excluded.checked_at, ok = excluded.ok, "
            + "first_broken_seq = excluded.first_broken_seq, reason = excluded.reason, full_at = excluded.full_at, "
            + "key_id = excluded.key_id, signature = excluded.signature")
    void saveState(@Bind("tenant") String tenant, @Bind("verifiedSeq") long verifiedSeq,
                   @Bind("verifiedHash") byte[] verifiedHash, @Bind("ok") boolean ok,
                   @Bind("firstBrokenSeq") Long firstBrokenSeq, @Bind("reason") String reason,
                   @Bind("fullAt") Instant fullAt, @Bind("keyId") String keyId, @Bind("signature") byte[] signature);
}
