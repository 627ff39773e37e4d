package org.auditlog.retention;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Partitions;
import org.auditlog.database.TenantLocks;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventWhere;
import org.auditlog.integrity.RetentionReceipts;
import org.auditlog.integrity.SigningKeys;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention by whole partitions: a partition every event of which is past its tenant's and category's
 * policy, matched by no active legal hold and delivered by every stream of its tenant that holds back
 * retention, is retired through the database's function, with a signed receipt per tenant, then
 * detached and dropped. Partitions span tenants, so only a run of every tenant (the scheduled job,
 * the {@code retention-run} task) does this; what a partition holds that may not go yet is left to
 * the batched deletes.
 */
final class PartitionDrops {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionDrops.class);
    private static final HexFormat HEX = HexFormat.of();

    /** A slice of a tenant's events under one policy (see {@link RetentionRunner}). */
    record Pass(EventWhere where, RetentionReceipts.Policy policy) {
    }

    /** A partition retired: how many events of each tenant went with it, and the run recorded for each. */
    record Retired(String partition, Map<String, Long> events, Map<String, UUID> runs) {
    }

    private final Jdbi jdbi;
    private final SigningKeys keys;
    private final Partitions partitions;

    PartitionDrops(Jdbi jdbi, SigningKeys keys, Partitions partitions) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.partitions = requireNonNull(partitions, "partitions is null");
    }

    /**
     * Retires every partition, oldest first, that may go whole as of {@code now}, then detaches and
     * drops the retired ones. {@code passes} gives a tenant's policies as of {@code now}. Each tenant
     * whose events went has a run of its own recorded for each partition, in the same transaction.
     */
    List<Retired> run(Instant now, String trigger, Function<String, List<Pass>> passes) {
        List<Retired> retired = new ArrayList<>();
        Map<String, Instant> latestCutoffs = new HashMap<>();
        Map<String, List<RetentionDao.Latest>> latest = new HashMap<>();
        jdbi.withExtension(RetentionDao.class, dao -> dao.latestByPartition(now))
                .forEach(l -> latest.computeIfAbsent(l.partition(), name -> new ArrayList<>()).add(l));
        for (Partitions.Partition partition : partitions.list()) {
            if (partition.to() == null || partition.to().isAfter(now)
                    || !worthTrying(latest.getOrDefault(partition.name(), List.of()), passes, latestCutoffs)) {
                continue;
            }
            try {
                jdbi.inTransaction(handle -> retire(handle, partition, now, trigger, passes, false)).ifPresent(retired::add);
            } catch (RuntimeException e) {
                // the database's function refused a receipt: counted event by event, the next try is exact
                LOG.warn("partition {} was not retired; trying again with its events counted", partition.name(), e);
                try {
                    jdbi.inTransaction(handle -> retire(handle, partition, now, trigger, passes, true)).ifPresent(retired::add);
                } catch (RuntimeException again) {
                    LOG.error("partition {} was not retired; its events are left to the batched deletes", partition.name(),
                            again);
                }
            }
        }
        partitions.dropRetired();
        return retired;
    }

    /**
     * Whether every tenant's latest event in a partition is past that tenant's latest cutoff, as read
     * for every partition in one statement without a lock: the partitions that must stay, most of them
     * on most days, then cost no transaction. It only skips: a partition it passes is decided again
     * under the locks.
     */
    private static boolean worthTrying(List<RetentionDao.Latest> tenants, Function<String, List<Pass>> passes,
                                       Map<String, Instant> latestCutoffs) {
        for (RetentionDao.Latest latest : tenants) {
            Instant cutoff = latestCutoffs.computeIfAbsent(latest.tenant(), tenant -> latestCutoff(passes.apply(tenant)));
            if (!latest.lastOccurred().isBefore(cutoff)) {
                return false;
            }
        }
        return true;
    }

    private Optional<Retired> retire(Handle handle, Partitions.Partition partition, Instant now, String trigger,
                                     Function<String, List<Pass>> passes, boolean countEvery) {
        RetentionDao dao = handle.attach(RetentionDao.class);
        if (dao.isRetired(partition.name())) {
            return Optional.empty();
        }
        List<String> tenants = dao.tenantsIn(partition.from(), partition.to());
        Map<String, RetentionDao.Bounds> spans = new LinkedHashMap<>();
        Map<String, List<Pass>> policies = new LinkedHashMap<>();
        // each tenant's events in the partition, found once whether deciding needed it or the receipt did
        Map<String, Long> counts = new HashMap<>();
        for (String tenant : tenants) {
            // a run of the tenant deleting meanwhile would change what the receipts must cover
            if (!dao.tryLockForTransaction(tenant)) {
                LOG.info("partition {} stays for now: a retention run of tenant {} is in progress", partition.name(), tenant);
                return Optional.empty();
            }
            handle.attach(TenantLocks.class).lockShared(LegalHolds.LOCK, tenant);
            List<Pass> tenantPasses = passes.apply(tenant);
            RetentionDao.Bounds span = dao.bounds(tenant, partition.from(), partition.to());
            if (span.lastSeq() == null || !mayGo(dao, tenant, partition, span, tenantPasses,
                    () -> count(dao, tenant, partition, span, countEvery, counts))) {
                LOG.info("partition {} stays: events of tenant {} in it may not go yet", partition.name(), tenant);
                return Optional.empty();
            }
            spans.put(tenant, span);
            policies.put(tenant, tenantPasses);
        }
        int n = tenants.size();
        String[] names = new String[n];
        UUID[] receiptIds = new UUID[n];
        UUID[] runIds = new UUID[n];
        String[] statements = new String[n];
        String[] keyIds = new String[n];
        String[] signatures = new String[n];
        Map<String, Long> events = new LinkedHashMap<>();
        Map<String, UUID> runs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String tenant = tenants.get(i);
            RetentionDao.Bounds span = spans.get(tenant);
            long count = count(dao, tenant, partition, span, countEvery, counts);
            List<RetentionReceipts.Range> ranges = ranges(dao, tenant, partition, span, count);
            UUID receiptId = UUID.randomUUID();
            UUID runId = UUID.randomUUID();
            dao.startPartitionRun(runId, tenant, trigger, partition.name(), now);
            Instant time = Timestamps.now();
            List<RetentionReceipts.Policy> applied = policies.get(tenant).stream().map(Pass::policy).toList();
            SigningKeys.Signed signed = keys.sign(keyId -> RetentionReceipts.partitionStatement(receiptId, tenant, runId,
                    time, partition.name(), partition.from(), partition.to(), applied, ranges, keyId));
            names[i] = tenant;
            receiptIds[i] = receiptId;
            runIds[i] = runId;
            statements[i] = signed.statementText();
            keyIds[i] = signed.keyId();
            signatures[i] = HEX.formatHex(signed.signature());
            events.put(tenant, count);
            runs.put(tenant, runId);
        }
        long total = dao.retirePartition(partition.name(), names, receiptIds, runIds, statements, keyIds, signatures);
        for (int i = 0; i < n; i++) {
            long count = events.get(names[i]);
            dao.finishRun(runIds[i], count, count, 0, Timestamps.now(), null);
        }
        LOG.info("partition {} retired: {} event(s) of {} tenant(s)", partition.name(), total, n);
        return Optional.of(new Retired(partition.name(), events, runs));
    }

    /**
     * How many events the tenant has in the partition. When none of its seqs from the first to the last
     * there is a deleted event's (a link, or at or below its anchor) or in another partition, every one
     * of them is there: that many, read from three index probes instead of the partition's every entry.
     * Otherwise, or with {@code countEvery}, counted. The database's function checks the count either way.
     */
    private static long count(RetentionDao dao, String tenant, Partitions.Partition partition, RetentionDao.Bounds span,
                              boolean countEvery, Map<String, Long> counts) {
        return counts.computeIfAbsent(tenant, t -> !countEvery
                && dao.noneElsewhere(t, span.firstSeq(), span.lastSeq(), partition.from(), partition.to())
                ? span.lastSeq() - span.firstSeq() + 1 : dao.countOf(t, partition.name()));
    }

    /**
     * Whether every event of the tenant in the partition may go: delivered by its blocking streams,
     * matched by no active hold (read under the hold lock), and past its policy. By the latest time one
     * of them occurred: before every policy's cutoff, all are past; at or after the latest cutoff, that
     * one is not; in between, they are counted pass by pass.
     */
    private static boolean mayGo(RetentionDao dao, String tenant, Partitions.Partition partition, RetentionDao.Bounds span,
                                 List<Pass> passes, LongSupplier count) {
        Instant earliestCutoff = passes.stream().map(pass -> pass.policy().cutoff()).min(Instant::compareTo).orElseThrow();
        if (!span.lastOccurred().isBefore(latestCutoff(passes)) || span.lastSeq() > dao.deliveredByEveryBlockingStream(tenant)) {
            return false;
        }
        List<EventFilter> holds = LegalHolds.active(dao, tenant);
        if (!holds.isEmpty() && dao.anyIn(EventWhere.of(tenant, EventFilter.none()).matchedByAny(holds),
                partition.from(), partition.to())) {
            return false;
        }
        if (span.lastOccurred().isBefore(earliestCutoff)) {
            return true;
        }
        long past = 0;
        for (Pass pass : passes) {
            past += dao.countIn(pass.where(), partition.from(), partition.to());
        }
        return past == count.getAsLong();
    }

    /** The latest of a tenant's policies' cutoffs: an event that occurred at or after it is past none of them. */
    private static Instant latestCutoff(List<Pass> passes) {
        return passes.stream().map(pass -> pass.policy().cutoff()).max(Instant::compareTo).orElseThrow();
    }

    /** The tenant's runs of consecutive seqs in the partition with their boundary hashes: one run when none is missing. */
    private static List<RetentionReceipts.Range> ranges(RetentionDao dao, String tenant, Partitions.Partition partition,
                                                        RetentionDao.Bounds span, long count) {
        List<RetentionDao.SeqRun> runs = span.lastSeq() - span.firstSeq() + 1 == count
                ? List.of(new RetentionDao.SeqRun(span.firstSeq(), span.lastSeq()))
                : dao.seqRuns(tenant, partition.from(), partition.to());
        List<RetentionReceipts.Range> ranges = new ArrayList<>(runs.size());
        for (RetentionDao.SeqRun run : runs) {
            ranges.add(new RetentionReceipts.Range(run.fromSeq(), run.toSeq(),
                    dao.prevHash(tenant, run.fromSeq(), partition.from(), partition.to()).orElseThrow(),
                    dao.hash(tenant, run.toSeq(), partition.from(), partition.to()).orElseThrow()));
        }
        return ranges;
    }
}
