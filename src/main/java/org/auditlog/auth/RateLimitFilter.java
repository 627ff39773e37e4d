package org.auditlog.auth;

import com.codahale.metrics.Meter;
import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.github.bucket4j.Bucket;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.auditlog.access.Caller;
import org.auditlog.common.Rejection;

/**
 * Limits each API key to {@code rateLimit.requestsPerSecond} with bursts of {@code rateLimit.burst},
 * on each instance: over it, 429 with {@code Retry-After} in whole seconds. Runs after
 * authentication, so unauthenticated requests are refused before they count.
 */
@Priority(Priorities.AUTHENTICATION + 1)
final class RateLimitFilter implements ContainerRequestFilter {
    private final RateLimitConfiguration configuration;
    private final Cache<UUID, Bucket> buckets = CacheBuilder.newBuilder()
            .expireAfterAccess(10, TimeUnit.MINUTES)
            .maximumSize(100_000)
            .build();
    private final Meter limited;

    RateLimitFilter(RateLimitConfiguration configuration, Meter limited) {
        this.configuration = configuration;
        this.limited = limited;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!(request.getSecurityContext().getUserPrincipal() instanceof Caller caller)) {
            return;
        }
        var probe = bucket(caller.keyId()).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return;
        }
        limited.mark();
        long seconds = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / 1_000_000_000.0));
        throw Rejection.tooMany("rate limit of this key exceeded; retry after " + seconds + " s",
                Duration.ofSeconds(seconds));
    }

    private Bucket bucket(UUID key) {
        try {
            return buckets.get(key, () -> Bucket.builder()
                    .addLimit(limit -> limit.capacity(configuration.getBurst())
                            .refillGreedy(configuration.getRequestsPerSecond(), Duration.ofSeconds(1)))
                    .build());
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }
}
