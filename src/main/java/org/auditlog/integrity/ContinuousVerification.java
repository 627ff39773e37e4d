package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Suppliers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies every tenant's chain incrementally: each run checks the events added since the last
 * verified one (and that this one is unchanged), and the whole chain once per {@code fullInterval}
 * (what was verified can since have been changed behind the service's back). A tenant found broken
 * is verified in full on each run and stays reported until its chain verifies again.
 *
 * <p>How far verification has come is kept in {@code verification_state}, signed by the service's
 * key: a state someone edited (to mark a broken tenant ok, or to move its verified point past a
 * change) does not verify, is reported by the health check, and is not trusted: that tenant is
 * verified in full.
 */
public final class ContinuousVerification {
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousVerification.class);
    /** How many broken tenants the health check names. */
    private static final int NAMED = 100;
    private final Jdbi jdbi;
    private final ChainVerifier verifier;
    private final SigningKeys keys;
    private final Duration fullInterval;
    /** The state signatures already checked, by tenant, so the health check verifies each one once. */
    private final Map<String, byte[]> checkedSignatures = new ConcurrentHashMap<>();

    public ContinuousVerification(Jdbi jdbi, ChainVerifier verifier, SigningKeys keys, Duration fullInterval) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.fullInterval = requireNonNull(fullInterval, "fullInterval is null");
    }

    public int verifyAll() {
        List<String> tenants = jdbi.withExtension(VerificationDao.class, VerificationDao::tenants);
        int broken = 0;
        for (String tenant : tenants) {
            // one tenant's rows that cannot be read must not keep the others from being verified
            try {
                if (!verify(tenant).ok()) {
                    broken++;
                }
            } catch (RuntimeException e) {
                broken++;
                LOG.error("verification of tenant {} failed: {}", tenant, e.getClass().getSimpleName());
                try {
                    jdbi.useExtension(VerificationDao.class, dao -> dao.markBroken(tenant,
                            "verification could not read the chain (" + e.getClass().getSimpleName() + ")"));
                } catch (RuntimeException ignored) {
                    // the state cannot be written either; the log says it
                }
            }
        }
        return broken;
    }

    /** Verifies what was added since the last run (everything when a full run is due or the state is not trusted). */
    public VerificationResult verify(String tenant) {
        return verify(tenant, false);
    }

    /** Verifies the whole chain and records the result as the tenant's last verification. */
    public VerificationResult verifyFully(String tenant) {
        return verify(tenant, true);
    }

    private VerificationResult verify(String tenant, boolean full) {
        Optional<VerificationDao.State> stored = jdbi.withExtension(VerificationDao.class, dao -> dao.state(tenant));
        Optional<VerificationDao.State> state = stored.filter(s -> {
            if (signatureProblem(s, keys::trusted) == null) {
                return true;
            }
            LOG.warn("the verification state of tenant {} does not verify: verifying its chain in full", tenant);
            return false;
        });
        Instant now = Timestamps.now();
        boolean fullDue = state.map(VerificationDao.State::fullAt)
                .map(at -> at.plus(fullInterval).isBefore(now)).orElse(true);
        boolean whole = full || fullDue || state.isEmpty() || !state.get().ok();
        VerificationResult result = whole ? verifier.verify(tenant, Optional.empty(), Optional.empty())
                : verifier.verifyAfter(tenant, state.get().verifiedSeq(), state.get().verifiedHash());
        Instant fullAt = whole ? now : state.get().fullAt();
        long verifiedSeq = state.map(VerificationDao.State::verifiedSeq).orElse(0L);
        byte[] verifiedHash = state.map(VerificationDao.State::verifiedHash).orElse(null);
        if (result.ok()) {
            if (result.checked() > 0) {
                save(tenant, result.toSeq(), result.lastHash(), true, null, null, fullAt);
            } else {
                save(tenant, verifiedSeq, verifiedHash, true, null, null, fullAt);
            }
        } else {
            LOG.error("chain of tenant {} is broken at seq {}: {}", tenant, result.firstBrokenSeq(), result.reason());
            save(tenant, verifiedSeq, verifiedHash, false, result.firstBrokenSeq(), result.reason(), null);
        }
        return result;
    }

    private void save(String tenant, long verifiedSeq, byte[] verifiedHash, boolean ok, Long firstBrokenSeq,
                      String reason, Instant fullAt) {
        var signed = keys.sign(keyId -> statement(tenant, verifiedSeq, verifiedHash, ok, firstBrokenSeq, fullAt, keyId));
        jdbi.useExtension(VerificationDao.class, dao -> dao.saveState(tenant, verifiedSeq, verifiedHash, ok,
                firstBrokenSeq, reason, fullAt, signed.keyId(), signed.signature()));
    }

    /**
     * What a state's signature covers: the JCS form of {@code {"type": "verification-state", "tenant",
     * "verifiedSeq", "verifiedHash", "ok", "firstBrokenSeq", "fullAt", "keyId"}}.
     */
    static byte[] statement(String tenant, long verifiedSeq, byte[] verifiedHash, boolean ok, Long firstBrokenSeq,
                            Instant fullAt, String keyId) {
        ObjectNode statement = JsonNodeFactory.instance.objectNode().put("type", "verification-state")
                .put("tenant", tenant).put("verifiedSeq", verifiedSeq)
                .put("verifiedHash", verifiedHash == null ? null : HexFormat.of().formatHex(verifiedHash))
                .put("ok", ok).put("firstBrokenSeq", firstBrokenSeq)
                .put("fullAt", fullAt == null ? null : Timestamps.format(fullAt)).put("keyId", keyId);
        return CanonicalJson.utf8(statement);
    }

    /**
     * Null when the state's signature is a trusted key's over what it says; the trusted keys are read
     * from their folder only when a signature was not checked before.
     */
    private String signatureProblem(VerificationDao.State state, Supplier<TrustedKeys> trusted) {
        if (state.signature() == null) {
            return "is not signed";
        }
        byte[] known = checkedSignatures.get(state.tenant());
        if (known != null && java.util.Arrays.equals(known, state.signature())) {
            return null;
        }
        String problem = trusted.get().problem(state.keyId(), statement(state.tenant(), state.verifiedSeq(),
                state.verifiedHash(), state.ok(), state.firstBrokenSeq(), state.fullAt(), state.keyId()),
                state.signature());
        if (problem == null) {
            checkedSignatures.put(state.tenant(), state.signature());
        }
        return problem;
    }

    /**
     * The {@code integrity} health check: unhealthy while any tenant's last verification found a break,
     * or any tenant's verification state does not verify (someone edited it).
     */
    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                List<VerificationDao.State> states = jdbi.withExtension(VerificationDao.class, VerificationDao::states);
                List<VerificationDao.State> broken = new ArrayList<>();
                List<String> altered = new ArrayList<>();
                // the folder is read once per check, and only if a state needs it
                Supplier<TrustedKeys> trusted = Suppliers.memoize(keys::trusted);
                for (VerificationDao.State state : states) {
                    if (signatureProblem(state, trusted) != null) {
                        altered.add(state.tenant());
                    } else if (!state.ok()) {
                        broken.add(state);
                    }
                }
                if (!broken.isEmpty() || !altered.isEmpty()) {
                    List<String> parts = new ArrayList<>();
                    if (!broken.isEmpty()) {
                        var first = broken.get(0);
                        parts.add(String.format("chain broken for %d tenant(s): %s; %s at seq %d: %s", broken.size(),
                                names(broken.stream().map(VerificationDao.State::tenant).toList()), first.tenant(),
                                first.firstBrokenSeq(), first.reason()));
                    }
                    if (!altered.isEmpty()) {
                        parts.add(String.format("verification state altered outside the service for %d tenant(s): %s "
                                + "(verified in full at the next run)", altered.size(), names(altered)));
                    }
                    return Result.unhealthy(String.join("; ", parts));
                }
                return Result.healthy(states.isEmpty() ? "no verification has run yet"
                        : states.size() + " tenant chain(s) verified");
            }
        };
    }

    private static String names(List<String> tenants) {
        return String.join(", ", tenants.stream().limit(NAMED).toList())
                + (tenants.size() > NAMED ? " and " + (tenants.size() - NAMED) + " more" : "");
    }
}
