package org.auditlog.auth;

import com.codahale.metrics.Meter;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * Failed authentications per client address, on each instance: {@code auth.failedPerMinute} of
 * them in a burst, then one more each {@code 60 / failedPerMinute} seconds. An address past it is
 * refused before its key is looked at, so guessing keys costs no database query.
 */
final class FailedAuthentications {
    private final int perMinute;
    private final Meter throttled;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(5))
            .maximumSize(100_000)
            .build();

    FailedAuthentications(int perMinute, Meter throttled) {
        this.perMinute = perMinute;
        this.throttled = throttled;
    }

    /** When the address is over its limit, the seconds until it may try again. */
    OptionalLong refused(String address) {
        Bucket bucket = buckets.getIfPresent(address);
        if (bucket == null || bucket.getAvailableTokens() > 0) {
            return OptionalLong.empty();
        }
        throttled.mark();
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return OptionalLong.of(Math.max(1, (long) Math.ceil(nanos / 1_000_000_000.0)));
    }

    void failed(String address) {
        buckets.get(address, ignored -> Bucket.builder()
                        .addLimit(limit -> limit.capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)))
                        .build())
                .tryConsume(1);
    }
}
