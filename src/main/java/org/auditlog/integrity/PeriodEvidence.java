package org.auditlog.integrity;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The chain's evidence for a stretch of a tenant's log (a report's period): the verification of every
 * seq from {@code firstSeq} to {@code lastSeq}, the signed checkpoints within it and the first one
 * after it, which vouch for it, and the retention receipts that account for any seq missing from it.
 */
public record PeriodEvidence(VerificationResult chain, List<Vouching> checkpoints, List<Receipt> receipts) {
    public PeriodEvidence {
        checkpoints = List.copyOf(checkpoints);
        receipts = List.copyOf(receipts);
    }

    /** A signed checkpoint: its seq, when and by which key it was signed. */
    public record Vouching(long seq, Instant signedAt, String keyId) {
    }

    /** A signed retention receipt: the seqs it deleted, when, by which key. */
    public record Receipt(UUID id, long firstSeq, long lastSeq, Instant createdAt, String keyId) {
    }
}
