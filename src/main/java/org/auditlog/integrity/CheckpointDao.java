package org.auditlog.integrity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ColumnName;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(Checkpoint.class)
@RegisterConstructorMapper(value = CheckpointDao.Due.class)
@RegisterConstructorMapper(value = CheckpointDao.Signed.class)
public interface CheckpointDao {
    /**
     * A checkpoint as stored, for the verifier: nothing is assumed of it, as someone who can write to
     * the database may have emptied any column.
     */
    record Signed(long seq, byte[] hash, @ColumnName("signed_at") Instant signedAt, @ColumnName("key_id") String keyId,
                  byte[] signature) {
        /** Null when its signature is a trusted key's over its own statement; otherwise what is wrong. */
        String problem(String tenant, TrustedKeys keys) {
            if (hash == null || signedAt == null || keyId == null || signature == null) {
                return "at this seq cannot be read (an empty column)";
            }
            return keys.problem(keyId, Checkpoint.statement(tenant, seq, hash, signedAt), signature);
        }
    }

    /** A tenant whose chain has grown since its last checkpoint, with the seq and hash to sign. */
    record Due(String tenant, long seq, byte[] hash) {
    }

    @SqlQuery("select h.tenant, e.seq, e.hash from chain_heads h "
            + "join audit_events e on e.tenant = h.tenant and e.seq = h.last_seq "
            + "where h.last_seq > coalesce((select max(c.seq) from checkpoints c where c.tenant = h.tenant), 0)")
    List<Due> due();

    @SqlQuery("select h.tenant, e.seq, e.hash from chain_heads h "
            + "join audit_events e on e.tenant = h.tenant and e.seq = h.last_seq where h.tenant = :tenant")
    Optional<Due> head(@Bind("tenant") String tenant);

    @SqlUpdate("insert into checkpoints (tenant, seq, hash, signed_at, key_id, signature) "
            + "values (:tenant, :seq, :hash, :signedAt, :keyId, :signature) on conflict (tenant, seq) do nothing")
    int insert(@Bind("tenant") String tenant, @Bind("seq") long seq, @Bind("hash") byte[] hash,
               @Bind("signedAt") Instant signedAt, @Bind("keyId") String keyId, @Bind("signature") byte[] signature);

    @SqlQuery("select tenant, seq, hash, signed_at, key_id, signature from checkpoints "
            + "where tenant = :tenant order by seq desc limit :limit")
    List<Checkpoint> newest(@Bind("tenant") String tenant, @Bind("limit") int limit);

    /** Each tenant's newest checkpoint, one index probe per tenant of {@code chain_heads}. */
    @SqlQuery("select c.tenant, c.seq, c.hash, c.signed_at, c.key_id, c.signature from chain_heads h "
            + "cross join lateral (select * from checkpoints c where c.tenant = h.tenant order by c.seq desc limit 1) c "
            + "order by c.tenant")
    List<Checkpoint> newestOfEachTenant();

    @SqlQuery("select seq, hash, signed_at, key_id, signature from checkpoints "
            + "where tenant = :tenant and seq between :fromSeq and :toSeq order by seq")
    List<Signed> signedBetween(@Bind("tenant") String tenant, @Bind("fromSeq") long fromSeq, @Bind("toSeq") long toSeq);

    /** The first checkpoint at or after {@code seq}: the one that covers the event there. */
    @SqlQuery("select seq, hash, signed_at, key_id, signature from checkpoints "
            + "where tenant = :tenant and seq >= :seq order by seq limit 1")
    Optional<Signed> firstFrom(@Bind("tenant") String tenant, @Bind("seq") long seq);

    /** The checkpoints from {@code fromSeq} on, up to and including the first at or after {@code toSeq}. */
    @SqlQuery("select seq, signed_at, key_id from checkpoints where tenant = :tenant and seq >= :fromSeq "
            + "and seq <= coalesce((select min(seq) from checkpoints where tenant = :tenant and seq >= :toSeq), :toSeq) "
            + "order by seq")
    @org.jdbi.v3.sqlobject.config.RegisterConstructorMapper(PeriodEvidence.Vouching.class)
    List<PeriodEvidence.Vouching> vouching(@Bind("tenant") String tenant, @Bind("fromSeq") long fromSeq,
                                           @Bind("toSeq") long toSeq);

    /** The retention receipts whose deleted seqs overlap {@code [fromSeq, toSeq]}. */
    @SqlQuery("select id, first_seq, last_seq, created_at, key_id from retention_receipts where tenant = :tenant "
            + "and last_seq >= :fromSeq and first_seq <= :toSeq order by first_seq")
    @org.jdbi.v3.sqlobject.config.RegisterConstructorMapper(PeriodEvidence.Receipt.class)
    List<PeriodEvidence.Receipt> receipts(@Bind("tenant") String tenant, @Bind("fromSeq") long fromSeq,
                                          @Bind("toSeq") long toSeq);

    @SqlQuery("select coalesce(max(seq), 0) from checkpoints where tenant = :tenant")
    long latestSeq(@Bind("tenant") String tenant);
}
