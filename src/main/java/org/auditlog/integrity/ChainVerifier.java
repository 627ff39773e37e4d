package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.auditlog.common.Rejection;
import org.auditlog.database.Database;
import org.auditlog.database.ReadTimeout;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Recomputes a tenant's chain from the stored rows, streaming them in constant memory, and checks
 * it against its own links, against the signed checkpoints and against the head: a changed field,
 * a removed or swapped row, a rewritten chain or a truncated end is reported at the first event it
 * affects.
 */
public final class ChainVerifier {
    private final Jdbi jdbi;
    private final EventHasher hasher;
    private final Supplier<TrustedKeys> trusted;

    /**
     * {@code trusted} answers the keys whose signatures count, asked once per verification (so a
     * key another instance rotated in is trusted from the next one on).
     */
    public ChainVerifier(Jdbi jdbi, EventHasher hasher, Supplier<TrustedKeys> trusted) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        Database.prepare(jdbi, VerificationDao.class, CheckpointDao.class);
        this.hasher = requireNonNull(hasher, "hasher is null");
        this.trusted = requireNonNull(trusted, "trusted is null");
    }

    /**
     * The whole chain, or the part asked for. The start defaults to just after retention's anchor
     * (the first event, when nothing was deleted); the end to the newest event or checkpoint.
     */
    public VerificationResult verify(String tenant, Optional<Long> fromSeq, Optional<Long> toSeq) {
        return jdbi.inTransaction(handle -> verify(handle, tenant, fromSeq, toSeq));
    }

    /**
     * {@link #verify} for a client: each statement, each fetch of the walk among them, is bounded by
     * the read timeout (the walk as a whole is not: it fetches a thousand rows at a time).
     */
    public VerificationResult verifyAsRead(String tenant, Optional<Long> fromSeq, Optional<Long> toSeq) {
        return ReadTimeout.read(jdbi, handle -> verify(handle, tenant, fromSeq, toSeq));
    }

    /**
     * What the chain says of the event at {@code seq}: the walk of {@link #verify} from it to the first
     * checkpoint at or after it (which checks that checkpoint's signature against the trusted keys and
     * its hash against the chain's), or to the head when none covers it yet, checking at most
     * {@code limit} entries. Bounded like {@link #verifyAsRead}. Not found when the tenant holds no
     * event at {@code seq} (beyond its head, or deleted by retention); an event missing within the
     * chain is broken.
     */
    EventEvidence evidence(String tenant, long seq, long limit) {
        return ReadTimeout.read(jdbi, handle -> {
            VerificationDao dao = handle.attach(VerificationDao.class);
            long floor = dao.anchor(tenant).map(VerificationDao.Anchor::seq).orElse(0L);
            if (!dao.holdsEvent(tenant, seq)
                    && (seq <= floor || seq > dao.headSeq(tenant).orElse(0L) || dao.hashAt(tenant, seq).isPresent())) {
                throw Rejection.notFound("event");
            }
            Optional<CheckpointDao.Signed> covering = handle.attach(CheckpointDao.class).firstFrom(tenant, seq);
            long last = seq + Math.min(limit, Long.MAX_VALUE - seq) - 1;
            long to = covering.map(c -> Math.min(c.seq(), last)).orElse(last);
            VerificationResult chain = verify(handle, tenant, Optional.of(seq), Optional.of(to));
            if (!chain.ok()) {
                return EventEvidence.broken(seq, chain);
            }
            if (covering.isEmpty()) {
                return EventEvidence.pending(seq, chain.checked());
            }
            return covering.get().seq() <= to
                    ? EventEvidence.verified(seq, chain.checked(), covering.get())
                    : EventEvidence.tooFar(seq, chain.checked(), covering.get().seq(), limit);
        });
    }

    private VerificationResult verify(Handle handle, String tenant, Optional<Long> fromSeq, Optional<Long> toSeq) {
        VerificationDao dao = handle.attach(VerificationDao.class);
        CheckpointDao checkpoints = handle.attach(CheckpointDao.class);
        Optional<VerificationDao.Anchor> anchor = dao.anchor(tenant);
        long floor = anchor.map(VerificationDao.Anchor::seq).orElse(0L);
        long expectedEnd = expectedEnd(checkpoints, dao, tenant);
        long start = Math.max(fromSeq.orElse(floor + 1), floor + 1);
        long end = Math.min(toSeq.orElse(expectedEnd), expectedEnd);
        byte[] trustedPrev = start == floor + 1
                ? anchor.map(VerificationDao.Anchor::hash).orElse(EventHasher.GENESIS)
                : dao.hashAt(tenant, start - 1).orElse(null);
        TrustedKeys keys = trusted.get();
        if (start == floor + 1 && anchor.isPresent()) {
            // the walk trusts the anchor's hash: signed receipts must account for every seq up to it
            var all = RetentionReceipts.Coverage.of(tenant, dao.receipts(tenant, 0), keys);
            var problem = all.anchorProblem(anchor.get().seq(), anchor.get().hash());
            if (problem != null) {
                return VerificationResult.broken(0, start, end, problem.seq(), problem.reason());
            }
        }
        return walk(checkpoints, dao, keys, tenant, start, end, trustedPrev);
    }

    /** From just after an event already verified to have {@code trustedHash}, to the current end. */
    public VerificationResult verifyAfter(String tenant, long verifiedSeq, byte[] trustedHash) {
        return jdbi.inTransaction(handle -> {
            VerificationDao dao = handle.attach(VerificationDao.class);
            CheckpointDao checkpoints = handle.attach(CheckpointDao.class);
            Optional<VerificationDao.Anchor> anchor = dao.anchor(tenant);
            long end = expectedEnd(checkpoints, dao, tenant);
            if (anchor.isPresent() && verifiedSeq <= anchor.get().seq()) {
                // retention has since folded that event into the anchor: continue from the anchor
                return verify(handle, tenant, Optional.empty(), Optional.empty());
            }
            if (verifiedSeq == 0) {
                return walk(checkpoints, dao, trusted.get(), tenant, 1, end, EventHasher.GENESIS);
            }
            Optional<byte[]> stored = dao.hashAt(tenant, verifiedSeq);
            if (stored.isEmpty() || !Arrays.equals(stored.get(), trustedHash)) {
                return VerificationResult.broken(0, verifiedSeq, verifiedSeq, verifiedSeq,
                        stored.isEmpty() ? "event verified before is missing" : "event verified before has changed");
            }
            return walk(checkpoints, dao, trusted.get(), tenant, verifiedSeq + 1, end, trustedHash);
        });
    }

    private static long expectedEnd(CheckpointDao checkpoints, VerificationDao dao, String tenant) {
        return Math.max(dao.headSeq(tenant).orElse(0L), checkpoints.latestSeq(tenant));
    }

    private VerificationResult walk(CheckpointDao checkpoints, VerificationDao dao, TrustedKeys keys, String tenant,
                                    long start, long end, byte[] trustedPrev) {
        if (start > end) {
            return VerificationResult.verified(0, start, end, trustedPrev);
        }
        var receipts = RetentionReceipts.Coverage.of(tenant, dao.receipts(tenant, start), keys);
        long badReceipt = Math.max(receipts.firstBadSeq(), start);
        Map<Long, CheckpointDao.Signed> signed = new HashMap<>();
        checkpoints.signedBetween(tenant, start, end).forEach(c -> signed.put(c.seq(), c));
        long expectedSeq = start;
        byte[] previous = trustedPrev;
        long checked = 0;
        try (var rows = dao.entries(tenant, start, end).stream()) {
            Iterator<ChainEntry> iterator = rows.iterator();
            while (iterator.hasNext()) {
                ChainEntry entry = iterator.next();
                if (entry.seq() >= badReceipt && badReceipt <= end) {
                    return VerificationResult.broken(checked, start, end, badReceipt, receipts.badReason());
                }
                if (entry.seq() != expectedSeq) {
                    return VerificationResult.broken(checked, start, end, expectedSeq,
                            entry.seq() < expectedSeq ? "an event and a retention link share a seq" : "event missing");
                }
                if (entry.unreadable() != null) {
                    return VerificationResult.broken(checked, start, end, entry.seq(),
                            "the stored event cannot be read: " + entry.unreadable());
                }
                if (previous != null && !Arrays.equals(entry.prevHash(), previous)) {
                    return VerificationResult.broken(checked, start, end, entry.seq(),
                            "prevHash does not match the hash of the event before");
                }
                if (entry.link()) {
                    String problem = linkProblem(receipts, entry);
                    if (problem != null) {
                        return VerificationResult.broken(checked, start, end, entry.seq(), problem);
                    }
                }
                if (entry.event() != null && !Arrays.equals(hasher.hash(entry.event()), entry.hash())) {
                    return VerificationResult.broken(checked, start, end, entry.seq(),
                            "hash does not match the event's contents");
                }
                CheckpointDao.Signed checkpoint = signed.get(entry.seq());
                if (checkpoint != null) {
                    String problem = checkpoint.problem(tenant, keys);
                    if (problem != null) {
                        return VerificationResult.broken(checked, start, end, entry.seq(), "checkpoint " + problem);
                    }
                    if (!Arrays.equals(checkpoint.hash(), entry.hash())) {
                        return VerificationResult.broken(checked, start, end, entry.seq(),
                                "hash differs from the signed checkpoint");
                    }
                }
                previous = entry.hash();
                expectedSeq++;
                checked++;
            }
        }
        if (badReceipt <= end && badReceipt >= expectedSeq) {
            return VerificationResult.broken(checked, start, end, badReceipt, receipts.badReason());
        }
        if (expectedSeq <= end) {
            return VerificationResult.broken(checked, start, end, expectedSeq,
                    "events missing at the end of the chain (head or signed checkpoint is further)");
        }
        return VerificationResult.verified(checked, start, end, previous);
    }

    /** Null when a verified receipt covers the deleted event this link stands for, and agrees with it. */
    private static String linkProblem(RetentionReceipts.Coverage receipts, ChainEntry link) {
        var range = receipts.covering(link.seq());
        if (range.isEmpty()) {
            return "the event is missing and no signed retention receipt covers it";
        }
        if (range.get().fromSeq() == link.seq() && !Arrays.equals(range.get().prevHash(), link.prevHash())) {
            return "the retention link differs from its signed receipt";
        }
        if (range.get().toSeq() == link.seq() && !Arrays.equals(range.get().lastHash(), link.hash())) {
            return "the retention link differs from its signed receipt";
        }
        return null;
    }
}
