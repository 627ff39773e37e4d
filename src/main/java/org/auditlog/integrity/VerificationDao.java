package org.auditlog.integrity;

import java.util.List;
import java.util.Optional;
import org.auditlog.event.AuditEvent;
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
@RegisterConstructorMapper(VerificationDao.State.class)
public interface VerificationDao {
    /** How far continuous verification has come for a tenant. */
    record State(String tenant, long verifiedSeq, byte[] verifiedHash, boolean ok, Long firstBrokenSeq, String reason) {
    }

    @SqlQuery("select " + StoredEventMapper.COLUMNS + " from audit_events "
            + "where tenant = :tenant and seq between :fromSeq and :toSeq order by seq")
    @FetchSize(1000)
    ResultIterable<AuditEvent> events(@Bind("tenant") String tenant, @Bind("fromSeq") long fromSeq,
                                      @Bind("toSeq") long toSeq);

    @SqlQuery("select hash from audit_events where tenant = :tenant and seq = :seq")
    Optional<byte[]> hashAt(@Bind("tenant") String tenant, @Bind("seq") long seq);

    @SqlQuery("select min(seq) from audit_events where tenant = :tenant")
    Optional<Long> firstSeq(@Bind("tenant") String tenant);

    @SqlQuery("select last_seq from chain_heads where tenant = :tenant")
    Optional<Long> headSeq(@Bind("tenant") String tenant);

    @SqlQuery("select tenant from chain_heads order by tenant")
    List<String> tenants();

    @SqlQuery("select tenant, verified_seq, verified_hash, ok, first_broken_seq, reason from verification_state "
            + "where tenant = :tenant")
    Optional<State> state(@Bind("tenant") String tenant);

    @SqlQuery("select tenant, verified_seq, verified_hash, ok, first_broken_seq, reason from verification_state "
            + "where not ok order by tenant")
    List<State> broken();

    @SqlQuery("select count(*) from verification_state")
    long verifiedTenants();

    @SqlUpdate("insert into verification_state (tenant, verified_seq, verified_hash, checked_at, ok, first_broken_seq, reason) "
            + "values (:tenant, :verifiedSeq, :verifiedHash, now(), :ok, :firstBrokenSeq, :reason) "
            + "on conflict (tenant) do update set verified_seq = excluded.verified_seq, "
            + "verified_hash = excluded.verified_hash, checked_at = excluded.checked_at, ok = excluded.ok, "
            + "first_broken_seq = excluded.first_broken_seq, reason = excluded.reason")
    void saveState(@Bind("tenant") String tenant, @Bind("verifiedSeq") long verifiedSeq,
                   @Bind("verifiedHash") byte[] verifiedHash, @Bind("ok") boolean ok,
                   @Bind("firstBrokenSeq") Long firstBrokenSeq, @Bind("reason") String reason);
}
