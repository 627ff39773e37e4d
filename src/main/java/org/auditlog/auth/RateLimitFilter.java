package org.auditlog.auth;

import com.codahale.metrics.Meter;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.time.Duration;
import org.auditlog.access.Caller;
import org.auditlog.common.Rejection;

/**
 * Limits each API key to {@code rateLimit.requestsPerSecond} with bursts of {@code rateLimit.burst},
 * and each tenant, all its keys together, to {@code rateLimit.tenantRequestsPerSecond} with bursts of
 * {@code rateLimit.tenantBurst}, across every instance ({@link SharedBuckets}): over either, 429 with
 * {@code Retry-After} in whole seconds. Runs after authentication, so unauthenticated requests are
 * refused before they count.
 */
@Priority(Priorities.AUTHENTICATION + 1)
final class RateLimitFilter implements ContainerRequestFilter {
    private final RateLimitConfiguration configuration;
    private final SharedBuckets buckets;
    private final Meter limited;

    RateLimitFilter(RateLimitConfiguration configuration, SharedBuckets buckets, Meter limited) {
        this.configuration = configuration;
        this.buckets = buckets;
        this.limited = limited;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!(request.getSecurityContext().getUserPrincipal() instanceof Caller caller)) {
            return;
        }
        ConsumptionProbe key = buckets.tryConsume("key:" + caller.keyId(), configuration.getBurst(),
                configuration.getRequestsPerSecond());
        if (!key.isConsumed()) {
            throw refused("this key", key);
        }
        ConsumptionProbe tenant = buckets.tryConsume("tenant:" + caller.tenant(), configuration.getTenantBurst(),
                configuration.getTenantRequestsPerSecond());
        if (!tenant.isConsumed()) {
            throw refused("this tenant", tenant);
        }
    }

    private Rejection refused(String whose, ConsumptionProbe probe) {
        limited.mark();
        long seconds = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1_000_000_000.0));
        return Rejection.tooMany("rate limit of " + whose + " exceeded; retry after " + seconds + " s",
                Duration.ofSeconds(seconds));
    }
}
