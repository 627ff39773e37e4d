package org.auditlog.auth;

import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.proxy.BucketNotFoundException;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Token buckets kept in PostgreSQL ({@code rate_limit_buckets}, Bucket4j's PostgreSQL integration),
 * so every instance of the service draws from the same bucket of a key or a tenant. Each instance
 * takes tokens in blocks: it counts what it consumes locally and settles with the database once it
 * has consumed a block ({@link #block}: a tenth of the rate, at least one token) or every 100 ms, so
 * most requests cost no round trip, and the deployment may overshoot a limit by at most a block per
 * instance. A bucket unused for as long as it takes to fill up again expires, and
 * {@link #removeAllExpired} deletes it.
 */
final class SharedBuckets {
    static final Duration SETTLE_EVERY = Duration.ofMillis(100);

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;
    private final Cache<String, BucketProxy> proxies = CacheBuilder.newBuilder()
            .expireAfterAccess(10, TimeUnit.MINUTES)
            .maximumSize(100_000)
            .build();

    SharedBuckets(DataSource pool) {
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(autoCommitRestored(requireNonNull(pool, "pool is null")))
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("rate_limit_buckets").idColumn("id").stateColumn("state").expiresAtColumn("expires_at")
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                .build();
    }

    /**
     * Takes a token from the bucket {@code id} of {@code burst} tokens refilled at {@code perSecond},
     * as this instance sees it. Bucket4j's batching of concurrent requests fails them all when the
     * bucket's row does not exist yet (first use, or deleted as expired): the row is then made by one
     * unbatched request and the token taken again.
     */
    ConsumptionProbe tryConsume(String id, int burst, int perSecond) {
        try {
            return proxy(id, burst, perSecond).tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException e) {
            if (!bucketMissing(e)) {
                throw e;
            }
            proxies.invalidate(id);
            buckets.builder().build(id, () -> configuration(burst, perSecond)).getAvailableTokens();
            return proxy(id, burst, perSecond).tryConsumeAndReturnRemaining(1);
        }
    }

    private static boolean bucketMissing(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BucketNotFoundException) {
                return true;
            }
        }
        return false;
    }

    private BucketProxy proxy(String id, int burst, int perSecond) {
        try {
            return proxies.get(id, () -> buckets.builder()
                    .withOptimization(Optimizations.delaying(new DelayParameters(block(perSecond), SETTLE_EVERY)))
                    .build(id, () -> configuration(burst, perSecond)));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static BucketConfiguration configuration(int burst, int perSecond) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)))
                .build();
    }

    /** The most tokens an instance takes before it settles with the database. */
    static long block(int perSecond) {
        return Math.max(1, perSecond / 10);
    }

    /** Deletes the expired buckets, a thousand at a time (each batch one short transaction); answers how many. */
    int removeAllExpired() {
        int removed = 0;
        int batch;
        do {
            batch = buckets.removeExpired(1000);
            removed += batch;
        } while (batch == 1000);
        return removed;
    }

    /**
     * The pool's connections, given back with auto-commit on as the service's other users of the
     * pool expect: a bucket's transaction turns it off.
     */
    private static DataSource autoCommitRestored(DataSource pool) {
        return (DataSource) Proxy.newProxyInstance(SharedBuckets.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    Object result = invoke(pool, method, args);
                    return result instanceof Connection connection && method.getName().equals("getConnection")
                            ? restoringOnClose(connection) : result;
                });
    }

    private static Connection restoringOnClose(Connection connection) {
        return (Connection) Proxy.newProxyInstance(SharedBuckets.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && !connection.isClosed() && !connection.getAutoCommit()) {
                        connection.rollback(); // nothing is left open: a bucket's transaction commits or rolls back itself
                        connection.setAutoCommit(true);
                    }
                    return invoke(connection, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
