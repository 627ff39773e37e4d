package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.auditlog.event.AuditEvent;
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

    public ChainVerifier(Jdbi jdbi, EventHasher hasher) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
    }

    /** The whole chain, or the part asked for; the end defaults to the newest event or checkpoint. */
    public VerificationResult verify(String tenant, Optional<Long> fromSeq, Optional<Long> toSeq) {
        return jdbi.inTransaction(handle -> {
            VerificationDao dao = handle.attach(VerificationDao.class);
            long expectedEnd = expectedEnd(handle.attach(CheckpointDao.class), dao, tenant);
            long start = fromSeq.orElseGet(() -> dao.firstSeq(tenant).orElse(1L));
            long end = Math.min(toSeq.orElse(expectedEnd), expectedEnd);
            byte[] trustedPrev = start == 1 ? EventHasher.GENESIS : dao.hashAt(tenant, start - 1).orElse(null);
            return walk(handle.attach(CheckpointDao.class), dao, tenant, start, end, trustedPrev);
        });
    }

    /** From just after an event already verified to have {@code trustedHash}, to the current end. */
    public VerificationResult verifyAfter(String tenant, long verifiedSeq, byte[] trustedHash) {
        return jdbi.inTransaction(handle -> {
            VerificationDao dao = handle.attach(VerificationDao.class);
            CheckpointDao checkpoints = handle.attach(CheckpointDao.class);
            Optional<byte[]> stored = dao.hashAt(tenant, verifiedSeq);
            if (verifiedSeq > 0 && (stored.isEmpty() || !Arrays.equals(stored.get(), trustedHash))) {
                return VerificationResult.broken(0, verifiedSeq, verifiedSeq, verifiedSeq,
                        stored.isEmpty() ? "event verified before is missing" : "event verified before has changed");
            }
            long end = expectedEnd(checkpoints, dao, tenant);
            return walk(checkpoints, dao, tenant, verifiedSeq + 1, end, verifiedSeq == 0 ? EventHasher.GENESIS : trustedHash);
        });
    }

    private static long expectedEnd(CheckpointDao checkpoints, VerificationDao dao, String tenant) {
        return Math.max(dao.headSeq(tenant).orElse(0L), checkpoints.latestSeq(tenant));
    }

    private VerificationResult walk(CheckpointDao checkpoints, VerificationDao dao, String tenant, long start,
                                    long end, byte[] trustedPrev) {
        if (start > end) {
            return VerificationResult.verified(0, start, end, trustedPrev);
        }
        Map<Long, byte[]> signed = new HashMap<>();
        checkpoints.between(tenant, start, end).forEach(c -> signed.put(c.seq(), c.hashBytes()));
        long expectedSeq = start;
        byte[] previous = trustedPrev;
        long checked = 0;
        try (var rows = dao.events(tenant, start, end).stream()) {
            Iterator<AuditEvent> iterator = rows.iterator();
            while (iterator.hasNext()) {
                AuditEvent event = iterator.next();
                if (event.seq() != expectedSeq) {
                    return VerificationResult.broken(checked, start, end, expectedSeq, "event missing");
                }
                if (previous != null && !Arrays.equals(event.prevHashBytes(), previous)) {
                    return VerificationResult.broken(checked, start, end, event.seq(),
                            "prevHash does not match the hash of the event before");
                }
                if (!Arrays.equals(hasher.hash(event), event.hashBytes())) {
                    return VerificationResult.broken(checked, start, end, event.seq(),
                            "hash does not match the event's contents");
                }
                byte[] checkpoint = signed.get(event.seq());
                if (checkpoint != null && !Arrays.equals(checkpoint, event.hashBytes())) {
                    return VerificationResult.broken(checked, start, end, event.seq(),
                            "hash differs from the signed checkpoint");
                }
                previous = event.hashBytes();
                expectedSeq++;
                checked++;
            }
        }
        if (expectedSeq <= end) {
            return VerificationResult.broken(checked, start, end, expectedSeq,
                    "events missing at the end of the chain (head or signed checkpoint is further)");
        }
        return VerificationResult.verified(checked, start, end, previous);
    }
}
