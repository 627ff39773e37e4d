package org.auditlog.retention;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.filter.BindWhere;
import org.auditlog.filter.EventWhere;
import org.auditlog.integrity.RetentionReceipts;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(RetentionPolicy.class)
@RegisterConstructorMapper(LegalHold.class)
@RegisterConstructorMapper(RetentionRun.class)
public interface RetentionDao {
    String HOLD_COLUMNS = "id, tenant, name, reason, filters::text as filters, created_at, created_by, released_at, released_by";
    String RUN_COLUMNS = "id, tenant, dry_run, trigger, partition, eligible, deleted, held, started_at, finished_at, error";

    @SqlQuery("select category, retain_days, updated_at, updated_by from retention_policies where tenant = :tenant "
            + "order by category")
    List<RetentionPolicy> policies(@Bind("tenant") String tenant);

    @SqlUpdate("insert into retention_policies (tenant, category, retain_days, updated_at, updated_by) "
            + "values (:tenant, :category, :retainDays, :now, :by) on conflict (tenant, category) do update "
            + "set retain_days = excluded.retain_days, updated_at = excluded.updated_at, updated_by = excluded.updated_by")
    void setPolicy(@Bind("tenant") String tenant, @Bind("category") String category, @Bind("retainDays") int retainDays,
                   @Bind("now") Instant now, @Bind("by") String by);

    @SqlUpdate("insert into legal_holds (id, tenant, name, reason, filters, created_at, created_by) "
            + "values (:id, :tenant, :name, :reason, cast(:filters as jsonb), :now, :by)")
    void createHold(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("name") String name,
                    @Bind("reason") String reason, @Bind("filters") String filters, @Bind("now") Instant now,
                    @Bind("by") String by);

    @SqlQuery("select " + HOLD_COLUMNS + " from legal_holds where tenant = :tenant order by created_at, id")
    List<LegalHold> holds(@Bind("tenant") String tenant);

    @SqlQuery("select " + HOLD_COLUMNS + " from legal_holds where tenant = :tenant and released_at is null")
    List<LegalHold> activeHolds(@Bind("tenant") String tenant);

    @SqlQuery("select " + HOLD_COLUMNS + " from legal_holds where tenant = :tenant and id = :id")
    Optional<LegalHold> hold(@Bind("tenant") String tenant, @Bind("id") UUID id);

    @SqlUpdate("update legal_holds set released_at = :now, released_by = :by "
            + "where tenant = :tenant and id = :id and released_at is null")
    int releaseHold(@Bind("tenant") String tenant, @Bind("id") UUID id, @Bind("now") Instant now, @Bind("by") String by);

    @SqlUpdate("insert into retention_runs (id, tenant, dry_run, trigger, started_at) "
            + "values (:id, :tenant, :dryRun, :trigger, :now)")
    void startRun(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("dryRun") boolean dryRun,
                  @Bind("trigger") String trigger, @Bind("now") Instant now);

    @SqlUpdate("insert into retention_runs (id, tenant, dry_run, trigger, partition, started_at) "
            + "values (:id, :tenant, false, :trigger, :partition, :now)")
    void startPartitionRun(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("trigger") String trigger,
                           @Bind("partition") String partition, @Bind("now") Instant now);

    @SqlUpdate("update retention_runs set eligible = :eligible, deleted = :deleted, held = :held, finished_at = :now, "
            + "error = :error where id = :id")
    void finishRun(@Bind("id") UUID id, @Bind("eligible") long eligible, @Bind("deleted") long deleted,
                   @Bind("held") long held, @Bind("now") Instant now, @Bind("error") String error);

    @SqlQuery("select " + RUN_COLUMNS + " from retention_runs where id = :id")
    RetentionRun run(@Bind("id") UUID id);

    @SqlQuery("select " + RUN_COLUMNS + " from retention_runs where tenant = :tenant order by started_at desc limit :limit")
    List<RetentionRun> runs(@Bind("tenant") String tenant, @Bind("limit") int limit);

    /** The last finished run of each tenant. */
    @SqlQuery("select distinct on (tenant) " + RUN_COLUMNS + " from retention_runs where finished_at is not null "
            + "order by tenant, started_at desc")
    List<RetentionRun> lastRuns();

    @SqlQuery("select tenant from chain_heads order by tenant")
    List<String> tenants();

    /** Held for the run on this connection only; other instances and runs skip the tenant meanwhile. */
    @SqlQuery("select pg_try_advisory_lock(hashtextextended('retention:' || :tenant, 0))")
    boolean tryLock(@Bind("tenant") String tenant);

    @SqlQuery("select pg_advisory_unlock(hashtextextended('retention:' || :tenant, 0))")
    boolean unlock(@Bind("tenant") String tenant);

    @SqlQuery("select count(*) from audit_events where <where>")
    long count(@BindWhere EventWhere where);

    /**
     * Up to {@code batch} events past their policy: the next ones to delete, with their links. None that
     * a stream of the tenant holding back retention ({@code blocks_retention}, active or paused) has not
     * delivered yet: only seqs up to the lowest cursor of those streams.
     */
    @SqlQuery("select seq, prev_hash, hash, received_at from audit_events where <where> and seq <= coalesce(("
            + "select min(delivered_through_seq) from streams where tenant = :streamsOf and blocks_retention), seq) "
            + "and not exists (select 1 from retired_partitions r "
            + "where audit_events.received_at >= r.from_at and audit_events.received_at < r.to_at) "
            + "limit :batch")
    @RegisterConstructorMapper(Doomed.class)
    List<Doomed> doomed(@BindWhere EventWhere where, @Bind("streamsOf") String tenant,
                                           @Bind("batch") int batch);

    /** An event to delete, and when it was received: the partitions a batch deletes from are those of its times. */
    record Doomed(long seq, byte[] prevHash, byte[] hash, Instant receivedAt) {
        RetentionReceipts.Deleted deleted() {
            return new RetentionReceipts.Deleted(seq, prevHash, hash);
        }
    }

    /** What a tenant has in a partition: its first and last seq there, and the latest time one of them occurred. */
    record Bounds(Long firstSeq, Long lastSeq, Instant lastOccurred) {
    }

    /** Received in a partition's times: from {@code :from} (null: ever) to before {@code :to}. */
    String IN_PARTITION = " and received_at >= coalesce(cast(:from as timestamptz), '-infinity') "
            + "and received_at < cast(:to as timestamptz)";

    /** The tenants with events received from {@code from} (null: ever) to before {@code to}: a skip scan. */
    @SqlQuery("with recursive t(tenant) as ("
            + "(select tenant from audit_events where true" + IN_PARTITION + " order by tenant limit 1) "
            + "union all select (select a.tenant from audit_events a where a.tenant > t.tenant"
            + " and a.received_at >= coalesce(cast(:from as timestamptz), '-infinity')"
            + " and a.received_at < cast(:to as timestamptz)"
            + " order by a.tenant limit 1) from t where t.tenant is not null) "
            + "select tenant from t where tenant is not null")
    List<String> tenantsIn(@Bind("from") Instant from, @Bind("to") Instant to);

    /** Three index probes, reading no more of the tenant's events than the first and last. */
    @SqlQuery("select (select seq from audit_events where tenant = :tenant" + IN_PARTITION + " order by seq limit 1) as first_seq, "
            + "(select seq from audit_events where tenant = :tenant" + IN_PARTITION + " order by seq desc limit 1) as last_seq, "
            + "(select occurred_at from audit_events where tenant = :tenant" + IN_PARTITION
            + " order by occurred_at desc limit 1) as last_occurred")
    @RegisterConstructorMapper(Bounds.class)
    Bounds bounds(@Bind("tenant") String tenant, @Bind("from") Instant from, @Bind("to") Instant to);

    /** The tenant's events in the partition, counted by the database from the partition's primary key alone. */
    @SqlQuery("select audit_events_partition_count(:partition, :tenant)")
    long countOf(@Bind("tenant") String tenant, @Bind("partition") String partition);

    /** A tenant with events in a partition, and the latest time one of them occurred. */
    record Latest(String partition, String tenant, Instant lastOccurred) {
    }

    /**
     * For every partition that ended by {@code now}, each tenant with events in it and its latest: one
     * statement, a skip scan of the tenant-first indexes per partition, each pruned to its partition as
     * it runs. A partition without events has no row.
     */
    @SqlQuery("select p.name as partition, l.tenant, l.last_occurred from audit_event_partitions p cross join lateral ("
            + "with recursive t(tenant) as ("
            + "(select tenant from audit_events where received_at >= p.from_at and received_at < p.to_at "
            + "order by tenant limit 1) "
            + "union all select (select a.tenant from audit_events a where a.tenant > t.tenant "
            + "and a.received_at >= p.from_at and a.received_at < p.to_at order by a.tenant limit 1) "
            + "from t where t.tenant is not null) "
            + "select t.tenant, (select a.occurred_at from audit_events a where a.tenant = t.tenant "
            + "and a.received_at >= p.from_at and a.received_at < p.to_at order by a.occurred_at desc limit 1) as last_occurred "
            + "from t where t.tenant is not null) l "
            + "where p.to_at <= :now")
    @RegisterConstructorMapper(Latest.class)
    List<Latest> latestByPartition(@Bind("now") Instant now);

    @SqlQuery("select exists (select 1 from audit_events where <where>" + IN_PARTITION + ")")
    boolean anyIn(@BindWhere EventWhere where, @Bind("from") Instant from, @Bind("to") Instant to);

    /**
     * Whether none of the tenant's seqs from {@code first} to {@code last} is a deleted event's (a link,
     * or at or below the anchor) or an event received outside the partition's times.
     */
    @SqlQuery("select not exists (select 1 from chain_links where tenant = :tenant and seq between :first and :last) "
            + "and coalesce((select seq from chain_anchors where tenant = :tenant), 0) < :first "
            + "and not exists (select 1 from audit_events where tenant = :tenant and seq between :first and :last "
            + "and (received_at < coalesce(cast(:from as timestamptz), '-infinity') or received_at >= cast(:to as timestamptz)))")
    boolean noneElsewhere(@Bind("tenant") String tenant, @Bind("first") long first, @Bind("last") long last,
                          @Bind("from") Instant from, @Bind("to") Instant to);

    @SqlQuery("select count(*) from audit_events where <where>" + IN_PARTITION)
    long countIn(@BindWhere EventWhere where, @Bind("from") Instant from, @Bind("to") Instant to);

    /** The lowest cursor of the tenant's streams that hold back retention; the largest seq when none does. */
    @SqlQuery("select coalesce(min(delivered_through_seq), 9223372036854775807) from streams "
            + "where tenant = :tenant and blocks_retention")
    long deliveredByEveryBlockingStream(@Bind("tenant") String tenant);

    /** The runs of consecutive seqs a tenant has in a partition. */
    @SqlQuery("select min(seq) as from_seq, max(seq) as to_seq from (select seq, seq - row_number() over (order by seq) as run "
            + "from audit_events where tenant = :tenant" + IN_PARTITION + ") s group by run order by 1")
    @RegisterConstructorMapper(SeqRun.class)
    List<SeqRun> seqRuns(@Bind("tenant") String tenant, @Bind("from") Instant from, @Bind("to") Instant to);

    record SeqRun(long fromSeq, long toSeq) {
    }

    @SqlQuery("select a.prev_hash from audit_events a where a.tenant = :tenant and a.seq = :seq" + IN_PARTITION)
    Optional<byte[]> prevHash(@Bind("tenant") String tenant, @Bind("seq") long seq, @Bind("from") Instant from,
                    @Bind("to") Instant to);

    @SqlQuery("select a.hash from audit_events a where a.tenant = :tenant and a.seq = :seq" + IN_PARTITION)
    Optional<byte[]> hash(@Bind("tenant") String tenant, @Bind("seq") long seq, @Bind("from") Instant from, @Bind("to") Instant to);

    @SqlQuery("select exists (select 1 from retired_partitions where name = :name)")
    boolean isRetired(@Bind("name") String name);

    /** For this transaction, the tenant's retention lock, unless a run of the tenant holds it. */
    @SqlQuery("select pg_try_advisory_xact_lock(hashtextextended('retention:' || :tenant, 0))")
    boolean tryLockForTransaction(@Bind("tenant") String tenant);

    /** The database's function that retires a partition retention may drop whole, with each tenant's receipt. */
    @SqlQuery("select audit_retention_retire_partition(:partition, :tenants, :receiptIds, :runIds, :statements, :keyIds, "
            + "array(select decode(s, 'hex') from unnest(cast(:signatures as text[])) with ordinality u(s, n) order by n))")
    long retirePartition(@Bind("partition") String partition, @Bind("tenants") String[] tenants,
                         @Bind("receiptIds") UUID[] receiptIds, @Bind("runIds") UUID[] runIds,
                         @Bind("statements") String[] statements, @Bind("keyIds") String[] keyIds,
                         @Bind("signatures") String[] signatures);

    /**
     * Deletes those events of the tenant, keeping their links and folding a deleted prefix into the
     * anchor, and stores the receipt that covers them: the database's retention function, the only
     * way events leave (the service's role may not delete them itself). Answers how many were deleted.
     */
    @SqlQuery("select audit_retention_delete(:tenant, :seqs, :receiptId, :runId, :statement, :keyId, :signature, "
            + ":receivedFrom, :receivedTo)")
    int deleteWithReceipt(@Bind("tenant") String tenant, @Bind("seqs") long[] seqs, @Bind("receiptId") UUID receiptId,
                          @Bind("runId") UUID runId, @Bind("statement") String statement, @Bind("keyId") String keyId,
                          @Bind("signature") byte[] signature, @Bind("receivedFrom") Instant receivedFrom,
                          @Bind("receivedTo") Instant receivedTo);
}
