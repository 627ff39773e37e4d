package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.health.HealthCheck;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies every tenant's chain incrementally: each run checks the events added since the last
 * verified one (and that this one is unchanged). A tenant found broken is verified in full on each
 * run and stays reported until its chain verifies again.
 */
public final class ContinuousVerification {
    private static final Logger LOG = LoggerFactory.getLogger(ContinuousVerification.class);
    /** How many broken tenants the health check names. */
    private static final int NAMED = 100;
    private final Jdbi jdbi;
    private final ChainVerifier verifier;

    public ContinuousVerification(Jdbi jdbi, ChainVerifier verifier) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.verifier = requireNonNull(verifier, "verifier is null");
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

    /** Verifies what was added since the last run (everything when the last run found a break). */
    public VerificationResult verify(String tenant) {
        return verify(tenant, false);
    }

    /** Verifies the whole chain and records the result as the tenant's last verification. */
    public VerificationResult verifyFully(String tenant) {
        return verify(tenant, true);
    }

    private VerificationResult verify(String tenant, boolean full) {
        Optional<VerificationDao.State> state = jdbi.withExtension(VerificationDao.class, dao -> dao.state(tenant));
        VerificationResult result = state.filter(s -> s.ok() && !full)
                .map(s -> verifier.verifyAfter(tenant, s.verifiedSeq(), s.verifiedHash()))
                .orElseGet(() -> verifier.verify(tenant, Optional.empty(), Optional.empty()));
        jdbi.useExtension(VerificationDao.class, dao -> {
            if (result.ok()) {
                if (result.checked() > 0) {
                    dao.saveState(tenant, result.toSeq(), result.lastHash(), true, null, null);
                } else {
                    dao.saveState(tenant, state.map(VerificationDao.State::verifiedSeq).orElse(0L),
                            state.map(VerificationDao.State::verifiedHash).orElse(null), true, null, null);
                }
            } else {
                LOG.error("chain of tenant {} is broken at seq {}: {}", tenant, result.firstBrokenSeq(), result.reason());
                dao.saveState(tenant, state.map(VerificationDao.State::verifiedSeq).orElse(0L),
                        state.map(VerificationDao.State::verifiedHash).orElse(null), false, result.firstBrokenSeq(),
                        result.reason());
            }
        });
        return result;
    }

    /** The {@code integrity} health check: unhealthy while any tenant's last verification found a break. */
    public HealthCheck healthCheck() {
        return new HealthCheck() {
            @Override
            protected Result check() {
                List<VerificationDao.State> broken = jdbi.withExtension(VerificationDao.class, VerificationDao::broken);
                if (!broken.isEmpty()) {
                    var first = broken.get(0);
                    String names = String.join(", ", broken.stream().limit(NAMED).map(VerificationDao.State::tenant).toList())
                            + (broken.size() > NAMED ? " and " + (broken.size() - NAMED) + " more" : "");
                    return Result.unhealthy("chain broken for %d tenant(s): %s; %s at seq %d: %s", broken.size(), names,
                            first.tenant(), first.firstBrokenSeq(), first.reason());
                }
                long verified = jdbi.withExtension(VerificationDao.class, VerificationDao::verifiedTenants);
                return Result.healthy(verified == 0 ? "no verification has run yet" : verified + " tenant chain(s) verified");
            }
        };
    }
}
