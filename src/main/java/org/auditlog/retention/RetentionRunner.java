package org.auditlog.retention;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.access.Requester;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.database.Partitions;
import org.auditlog.database.PlanModeDao;
import org.auditlog.database.ReadTimeout;
import org.auditlog.database.TenantLocks;
import org.auditlog.event.Actor;
import org.auditlog.event.Resource;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventWhere;
import org.auditlog.integrity.RetentionReceipts;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.retention.PartitionDrops.Pass;
import org.auditlog.scheduling.Firing;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: per tenant, events older than their category's policy are deleted in bounded batches,
 * except those an active legal hold matches. Each batch leaves a signed receipt of the seq ranges it
 * deleted, and each deleted event its link (seq, prevHash, hash), so the chain of what is kept still
 * verifies; links of a wholly deleted prefix fold into the tenant's anchor. The deleting, the links,
 * the anchor and the receipt are one call of the database's retention function. Every run is recorded as a {@code system} / {@code retention.run} event.
 */
public final class RetentionRunner {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionRunner.class);
    private static final Actor SCHEDULER = new Actor("retention", "system", "retention job", null);

    private final Jdbi jdbi;
    private final SigningKeys keys;
    private final RetentionConfiguration configuration;
    private final AuditTrail trail;
    private final Counter deletedCounter;
    private final Counter heldCounter;
    private final Timer runTimer;
    private final Optional<PartitionDrops> partitionDrops;
    private final Timer partitionTimer;
    private final Counter partitionsRetired;

    /** Without dropping partitions: every event goes by the batched deletes. */
    public RetentionRunner(Jdbi jdbi, SigningKeys keys, RetentionConfiguration configuration, AuditTrail trail,
                           MetricRegistry metrics) {
        this(jdbi, keys, configuration, trail, metrics, null);
    }

    /**
     * {@code keys} sign the receipt each deleting batch and each dropped partition leaves; runs of
     * every tenant drop the partitions of {@code partitions} that may go whole.
     */
    public RetentionRunner(Jdbi jdbi, SigningKeys keys, RetentionConfiguration configuration, AuditTrail trail,
                           MetricRegistry metrics, Partitions partitions) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.keys = requireNonNull(keys, "keys is null");
        Database.prepare(jdbi, RetentionDao.class, TenantLocks.class, PlanModeDao.class);
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.deletedCounter = metrics.counter("retention.events.deleted");
        this.heldCounter = metrics.counter("retention.events.held");
        this.runTimer = metrics.timer("retention.run");
        this.partitionTimer = metrics.timer("retention.partitions");
        this.partitionsRetired = metrics.counter("retention.partitions.retired");
        this.partitionDrops = Optional.ofNullable(partitions).map(p -> new PartitionDrops(jdbi, keys, p));
    }

    public record Runs(List<RetentionRun> runs) {
    }

    public Runs runs(Requester requester) {
        return new Runs(ReadTimeout.read(jdbi, RetentionDao.class, dao -> dao.runs(requester.tenant(), 100)));
    }

    /**
     * {@code dryRun} as the API and the {@code retention-run} task take it: absent is {@code false},
     * otherwise exactly one {@code true} or {@code false}; empty for anything else.
     */
    public static java.util.Optional<Boolean> dryRun(List<String> values) {
        if (values == null || values.isEmpty()) {
            return java.util.Optional.of(false);
        }
        if (values.size() != 1 || !(values.get(0).equals("true") || values.get(0).equals("false"))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(values.get(0).equals("true"));
    }

    /** A run of the requester's tenant now, answered when it has finished. */
    public RetentionRun runNow(Requester requester, boolean dryRun) {
        return run(requester.tenant(), dryRun, "api", requester.actor())
                .orElseThrow(() -> Rejection.conflict("a retention run of this tenant is in progress"));
    }

    /** The scheduled run of every tenant, on {@code retention.schedule}. */
    void runOnSchedule(Firing firing) {
        LOG.info("retention job fired for {} on instance {}", firing.scheduledAt(), firing.instance());
        var runs = runAll(false, "schedule");
        LOG.info("retention job finished: {} tenant run(s), {} event(s) deleted", runs.size(),
                runs.stream().mapToLong(RetentionRun::deleted).sum());
    }

    /**
     * Runs every tenant: first, unless a dry run, the partitions that may go whole are dropped (a run
     * of each tenant whose events went with one, recorded and answered), then each tenant's batched
     * deletes of the rest.
     */
    public List<RetentionRun> runAll(boolean dryRun, String trigger) {
        List<RetentionRun> runs = new ArrayList<>();
        if (!dryRun && partitionDrops.isPresent()) {
            Instant now = Timestamps.now();
            List<PartitionDrops.Retired> dropped;
            try (Timer.Context ignored = partitionTimer.time()) {
                dropped = partitionDrops.get().run(now, trigger, tenant -> passes(tenant, now));
            }
            partitionsRetired.inc(dropped.size());
            for (var retired : dropped) {
                retired.runs().forEach((tenant, runId) -> {
                    RetentionRun run = jdbi.withExtension(RetentionDao.class, dao -> dao.run(runId));
                    deletedCounter.inc(run.deleted());
                    record(run, SCHEDULER);
                    runs.add(run);
                });
            }
        }
        for (String tenant : jdbi.withExtension(RetentionDao.class, RetentionDao::tenants)) {
            run(tenant, dryRun, trigger, SCHEDULER, true).ifPresent(runs::add);
        }
        return runs;
    }

    /** One tenant's run, or empty when another run of that tenant holds its lock. */
    public Optional<RetentionRun> run(String tenant, boolean dryRun, String trigger, Actor actor) {
        return run(tenant, dryRun, trigger, actor, false);
    }

    /** {@code paced}: with {@code retention.batchPause} after each full batch, as background work. */
    private Optional<RetentionRun> run(String tenant, boolean dryRun, String trigger, Actor actor, boolean paced) {
        return jdbi.withHandle(lockHandle -> {
            RetentionDao lock = lockHandle.attach(RetentionDao.class);
            if (!lock.tryLock(tenant)) {
                return Optional.empty();
            }
            try (Timer.Context ignored = runTimer.time()) {
                return Optional.of(runLocked(tenant, dryRun, trigger, actor, paced));
            } finally {
                lock.unlock(tenant);
            }
        });
    }

    private RetentionRun runLocked(String tenant, boolean dryRun, String trigger, Actor actor, boolean paced) {
        UUID runId = UUID.randomUUID();
        jdbi.useExtension(RetentionDao.class, dao -> dao.startRun(runId, tenant, dryRun, trigger, Timestamps.now()));
        long eligible = 0;
        long held = 0;
        long deleted = 0;
        String error = null;
        try {
            Instant now = Timestamps.now();
            List<Pass> passes = passes(tenant, now);
            for (Pass pass : passes) {
                eligible += count(pass.where());
                if (!dryRun) {
                    deleted += delete(tenant, runId, pass, paced);
                }
            }
            // held: what is still there past its policy because a hold matches it, holds as they are now
            List<EventFilter> holds = jdbi.withExtension(RetentionDao.class, dao -> LegalHolds.active(dao, tenant));
            if (!holds.isEmpty()) {
                for (Pass pass : passes) {
                    held += count(pass.where().matchedByAny(holds));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("retention run {} of tenant {} failed", runId, tenant, e);
            error = "the run failed after deleting " + deleted + " events; it resumes at the next run";
        }
        final long e = eligible;
        final long h = held;
        final long d = deleted;
        final String failure = error;
        deletedCounter.inc(d);
        heldCounter.inc(h);
        jdbi.useExtension(RetentionDao.class, dao -> dao.finishRun(runId, e, d, h, Timestamps.now(), failure));
        RetentionRun run = jdbi.withExtension(RetentionDao.class, dao -> dao.run(runId));
        record(run, actor);
        return run;
    }

    /** The run, as stored, in its tenant's log: a {@code system} / {@code retention.run} event. */
    private void record(RetentionRun run, Actor actor) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode().put("runId", run.id().toString())
                .put("dryRun", run.dryRun()).put("trigger", run.trigger());
        if (run.partition() != null) {
            metadata.put("partition", run.partition());
        }
        metadata.put("eligible", run.eligible()).put("deleted", run.deleted()).put("held", run.held());
        if (run.error() != null) {
            metadata.put("error", run.error());
        }
        trail.record(run.tenant(), "system", "retention.run", actor,
                new Resource("retention_run", run.id().toString(), null), metadata);
    }


    private List<Pass> passes(String tenant, Instant now) {
        List<RetentionPolicy> stored = jdbi.withExtension(RetentionDao.class, dao -> dao.policies(tenant));
        int defaultDays = stored.stream().filter(p -> p.category().equals(RetentionPolicy.DEFAULT_CATEGORY))
                .map(RetentionPolicy::retainDays).findFirst().orElse(configuration.getDefaultRetainDays());
        List<Pass> passes = new ArrayList<>();
        List<String> own = new ArrayList<>();
        for (RetentionPolicy policy : stored) {
            if (!policy.category().equals(RetentionPolicy.DEFAULT_CATEGORY)) {
                own.add(policy.category());
                Instant cutoff = cutoff(now, policy.retainDays());
                passes.add(new Pass(EventWhere.of(tenant, EventFilter.none()).inCategory(policy.category())
                        .occurredBefore(cutoff), new RetentionReceipts.Policy(policy.category(), policy.retainDays(), cutoff)));
            }
        }
        Instant cutoff = cutoff(now, defaultDays);
        passes.add(new Pass(EventWhere.of(tenant, EventFilter.none()).notInCategories(own).occurredBefore(cutoff),
                new RetentionReceipts.Policy(RetentionPolicy.DEFAULT_CATEGORY, defaultDays, cutoff)));
        return passes;
    }

    private static Instant cutoff(Instant now, int days) {
        return now.minus(days, ChronoUnit.DAYS);
    }

    private long count(EventWhere where) {
        return jdbi.inTransaction(handle -> {
            handle.attach(PlanModeDao.class).withoutParallelWorkers();
            return handle.attach(RetentionDao.class).count(where);
        });
    }

    /**
     * Deletes in bounded transactions, so ingest and queries of the tenant go on meanwhile; when
     * {@code paced}, waiting {@code retention.batchPause} after each full batch.
     */
    private long delete(String tenant, UUID runId, Pass pass, boolean paced) {
        long total = 0;
        int batch;
        do {
            batch = jdbi.inTransaction(handle -> deleteBatch(handle, tenant, runId, pass));
            total += batch;
            if (paced && batch == configuration.getBatchSize()) {
                pause();
            }
        } while (batch == configuration.getBatchSize());
        return total;
    }

    private void pause() {
        try {
            Thread.sleep(configuration.getBatchPause().toMilliseconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the retention run was interrupted between batches", e);
        }
    }

    /**
     * One batch, with the holds read again inside its transaction after taking the tenant's hold lock
     * (shared; creating a hold takes it exclusively). Holds read once at the start of a run would miss
     * one created during it. Naming the holds in the DELETE alone would not do either: under READ
     * COMMITTED the statement sees the holds committed when it started, and a hold committed while it
     * runs would be missed. With the lock, a hold's creation commits either before the batch reads
     * holds (the batch waits for it and sees it) or after the batch commits (its events deleted by
     * then were deleted before the hold existed); once a hold has been answered 201, no batch
     * deletes what it matches.
     */
    private int deleteBatch(Handle handle, String tenant, UUID runId, Pass pass) {
        RetentionDao dao = handle.attach(RetentionDao.class);
        handle.attach(PlanModeDao.class).withoutParallelWorkers();
        handle.attach(TenantLocks.class).lockShared(LegalHolds.LOCK, tenant);
        List<RetentionDao.Doomed> doomed = dao.doomed(pass.where().matchedByNone(LegalHolds.active(dao, tenant)),
                tenant, configuration.getBatchSize());
        if (doomed.isEmpty()) {
            return 0;
        }
        // the receipt goes in with the deletion, through the one function that may delete events
        UUID receiptId = UUID.randomUUID();
        List<RetentionReceipts.Range> ranges = RetentionReceipts.ranges(doomed.stream().map(RetentionDao.Doomed::deleted).toList());
        Instant now = Timestamps.now();
        SigningKeys.Signed signed = keys.sign(keyId -> RetentionReceipts.statement(receiptId, tenant,
                runId, now, pass.policy(), ranges, keyId));
        // the times the batch was received within: the delete reads only the partitions that hold them
        Instant receivedFrom = doomed.stream().map(RetentionDao.Doomed::receivedAt).min(Instant::compareTo).orElseThrow();
        Instant receivedTo = doomed.stream().map(RetentionDao.Doomed::receivedAt).max(Instant::compareTo).orElseThrow();
        return dao.deleteWithReceipt(tenant, doomed.stream().mapToLong(RetentionDao.Doomed::seq).toArray(),
                receiptId, runId, signed.statementText(), signed.keyId(), signed.signature(), receivedFrom, receivedTo);
    }
}
