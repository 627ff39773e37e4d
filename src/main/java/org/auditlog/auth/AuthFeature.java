package org.auditlog.auth;

import io.dropwizard.core.setup.Environment;
import java.time.Duration;
import javax.sql.DataSource;
import org.auditlog.trail.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** API keys: authentication of every call, roles, and the key endpoints. */
public final class AuthFeature {
    private static final Logger LOG = LoggerFactory.getLogger(AuthFeature.class);

    private AuthFeature() {
    }

    /** The keys and the sign-in check, for the console. */
    public record Keys(ApiKeyService service, KeyCheck check) {
    }

    /** {@code pool}: the service's pool on the primary, where the rate limit's buckets are kept. */
    public static Keys register(Environment environment, AuthConfiguration authentication,
                                RateLimitConfiguration rateLimit, Platform platform, DataSource pool) {
        var jdbi = platform.jdbi();
        KeyCache cache = KeyCache.listening(jdbi);
        environment.lifecycle().manage(cache);
        var keys = new ApiKeyService(jdbi, new KeyAuditTrail(platform.trail()), cache);
        var check = Authentication.register(environment, keys, authentication);
        if (rateLimit.isEnabled()) {
            var buckets = new SharedBuckets(pool);
            environment.jersey().register(new RateLimitFilter(rateLimit, buckets, environment.metrics().meter("auth.rate-limited")));
            // clustered: one instance a time deletes the buckets of keys and tenants quiet long enough to be full
            platform.scheduler().every("rate-limit-buckets", firing -> buckets.removeAllExpired(), Duration.ofMinutes(10));
        }
        environment.jersey().register(new KeysResource(keys, platform.bodies()));
        if (jdbi.withExtension(ApiKeyDao.class, ApiKeyDao::countActive) == 0) {
            LOG.warn("no API key exists yet; create the first one with: "
                    + "java -jar target/audit-service.jar create-key config.yml --tenant <tenant> --role admin --name bootstrap");
        }
        return new Keys(keys, check);
    }
}
