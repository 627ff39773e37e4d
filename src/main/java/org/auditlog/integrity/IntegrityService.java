package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.auditlog.access.Caller;
import org.auditlog.common.ApiException;
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

    public VerificationResult verify(Caller caller, String fromSeq, String toSeq) {
        Optional<Long> from = sequence("fromSeq", fromSeq);
        Optional<Long> to = sequence("toSeq", toSeq);
        if (from.isPresent() && to.isPresent() && to.get() < from.get()) {
            throw ApiException.badParameter("toSeq", "must not be less than fromSeq");
        }
        if (from.isEmpty() && to.isEmpty()) {
            try (var slot = wholeChains.acquire(caller.tenant())) {
                return verifyAndRecord(caller, from, to);
            }
        }
        return verifyAndRecord(caller, from, to);
    }

    private VerificationResult verifyAndRecord(Caller caller, Optional<Long> from, Optional<Long> to) {
        VerificationResult result = verifier.verifyAsRead(caller.tenant(), from, to);
        ObjectNode metadata = JsonNodeFactory.instance.objectNode()
                .put("ok", result.ok()).put("checked", result.checked())
                .put("fromSeq", result.fromSeq()).put("toSeq", result.toSeq());
        if (result.firstBrokenSeq() != null) {
            metadata.put("firstBrokenSeq", result.firstBrokenSeq());
        }
        trail.record(caller.tenant(), AuditTrail.ACCESS, "integrity.verified", caller.asActor(), null, metadata);
        return result;
    }

    public List<Checkpoint> checkpoints(Caller caller, String limit) {
        int count = sequence("limit", limit).map(n -> {
            if (n > 1000) {
                throw ApiException.badParameter("limit", "must be 1 to 1000");
            }
            return n.intValue();
        }).orElse(100);
        return checkpoints.newest(caller.tenant(), count);
    }

    public List<PublicSigningKey> keys() {
        return keys.published();
    }


    private static Optional<Long> sequence(String name, String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(text);
            if (value < 1) {
                throw ApiException.badParameter(name, "must be a whole number of at least 1");
            }
            return Optional.of(value);
        } catch (NumberFormatException e) {
            throw ApiException.badParameter(name, "must be a whole number of at least 1");
        }
    }
}
