package org.auditlog.common;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How many of one kind of work each tenant has running on this instance, capped: a tenant at its cap
 * gets a 429 with {@code Retry-After}, and other tenants are not affected.
 */
public final class TenantConcurrency {
    private final String work;
    private final String limit;
    private final int cap;
    private final Duration retryAfter;
    private final ConcurrentHashMap<String, Integer> running = new ConcurrentHashMap<>();

    /**
     * {@code work} names it for the client, in the plural ("verifications of the whole chain");
     * {@code limit} is the key under {@code limits.} that sets {@code cap}.
     */
    public TenantConcurrency(String work, String limit, int cap, Duration retryAfter) {
        this.work = requireNonNull(work, "work is null");
        this.limit = requireNonNull(limit, "limit is null");
        if (cap < 1) {
            throw new IllegalArgumentException("cap must be at least 1");
        }
        this.cap = cap;
        this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
    }

    /** Held while the work runs; closing it gives the place back. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** A place for the tenant's work, or a 429 when it has {@code cap} running already. */
    public Slot acquire(String tenant) {
        boolean[] taken = {false};
        running.compute(tenant, (name, count) -> {
            int now = count == null ? 0 : count;
            if (now >= cap) {
                return now;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            throw Rejection.overLimit(limit, cap, "this tenant already has " + cap + " " + work + " running",
                    retryAfter);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                running.computeIfPresent(tenant, (name, count) -> count <= 1 ? null : count - 1);
            }
        };
    }
}
