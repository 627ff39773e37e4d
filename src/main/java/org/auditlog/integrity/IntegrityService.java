package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.auditlog.access.Requester;
import org.auditlog.common.Rejection;
import org.auditlog.common.TenantConcurrency;
import org.auditlog.trail.AuditTrail;

/** What compliance officers ask of the chain: verify it, list its checkpoints and the public keys. */
public final class IntegrityService {
    private final ChainVerifier verifier;
    private final CheckpointService checkpoints;
    private final SigningKeys keys;
    private final AuditTrail trail;
    private final TenantConcurrency wholeChains;

    /** {@code wholeChains} caps the verifications without {@code fromSeq} and {@code toSeq} a tenant runs at once. */
    public IntegrityService(ChainVerifier verifier, CheckpointService checkpoints, SigningKeys keys, AuditTrail trail,
                            TenantConcurrency wholeChains) {
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.checkpoints = requireNonNull(checkpoints, "checkpoints is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.wholeChains = requireNonNull(wholeChains, "wholeChains is null");
    }

    /** Verifies the tenant's chain from {@code from} to {@code to} (both inclusive, each open when empty). */
    public VerificationResult verify(Requester requester, Optional<Long> from, Optional<Long> to) {
        if (from.isPresent() && to.isPresent() && to.get() < from.get()) {
            throw Rejection.badParameter("toSeq", "must not be less than fromSeq");
        }
        if (from.isEmpty() && to.isEmpty()) {
            try (var slot = wholeChains.acquire(requester.tenant())) {
                return verifyAndRecord(requester, from, to);
            }
        }
        return verifyAndRecord(requester, from, to);
    }

    private VerificationResult verifyAndRecord(Requester requester, Optional<Long> from, Optional<Long> to) {
        VerificationResult result = verifier.verifyAsRead(requester.tenant(), from, to);
        ObjectNode metadata = JsonNodeFactory.instance.objectNode()
                .put("ok", result.ok()).put("checked", result.checked())
                .put("fromSeq", result.fromSeq()).put("toSeq", result.toSeq());
        if (result.firstBrokenSeq() != null) {
            metadata.put("firstBrokenSeq", result.firstBrokenSeq());
        }
        trail.record(requester.tenant(), AuditTrail.ACCESS, "integrity.verified", requester.actor(), null, metadata);
        return result;
    }

    /**
     * The evidence for the badge of the requester's tenant's event at {@code seq}: verified when the
     * chain from it to the first signed checkpoint at or after it verifies (each hash recomputed, the
     * event's {@code prevHash} against the hash before it) and a trusted key signed that checkpoint
     * over the hash the chain holds there; broken at the first thing that does not verify; pending
     * while no checkpoint covers it (the chain from it to the head verifying); too far when the
     * covering checkpoint is more than {@link EventEvidence#MAX_CHECKED} events away. At most that
     * many events are read, each statement within the read timeout. A read not recorded in the audit
     * trail here: the caller records it (the console records one entry per page, whatever the number
     * of badges on it).
     *
     * @throws org.auditlog.common.Rejection not found when the tenant holds no event at {@code seq}
     */
    public EventEvidence evidence(Requester requester, long seq) {
        return verifier.evidence(requester.tenant(), seq, EventEvidence.MAX_CHECKED);
    }

    /**
     * The evidence for {@code [firstSeq, lastSeq]} of a tenant's chain, for a report: verified with the
     * same walk as {@link #verify}, not recorded (the report that asks is recorded itself).
     */
    public PeriodEvidence periodEvidence(String tenant, long firstSeq, long lastSeq) {
        VerificationResult chain = verifier.verifyAsRead(tenant, Optional.of(firstSeq), Optional.of(lastSeq));
        return new PeriodEvidence(chain, checkpoints.vouching(tenant, firstSeq, lastSeq),
                checkpoints.receipts(tenant, firstSeq, lastSeq));
    }

    /** The tenant's newest {@code limit} checkpoints. */
    public List<Checkpoint> checkpoints(Requester requester, int limit) {
        return checkpoints.newest(requester.tenant(), limit);
    }

    public List<PublicSigningKey> keys() {
        return keys.published();
    }
}
