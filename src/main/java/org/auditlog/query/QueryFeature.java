package org.auditlog.query;

import io.dropwizard.core.setup.Environment;
import java.security.SecureRandom;
import org.auditlog.database.Database;
import org.auditlog.database.ReadTimeout;
import org.auditlog.database.StatementTimeoutDao;
import org.auditlog.trail.Platform;

/** Reading the log: queries with filters and cursors, statistics, single events. */
public final class QueryFeature {
    private QueryFeature() {
    }

    /**
     * Answers a query service that records nothing: the console records one entry per page an officer
     * opens (honouring {@code query.recordQueries}), not one per query the page makes.
     */
    public static QueryService register(Environment environment, QueryConfiguration configuration, Platform platform) {
        var jdbi = platform.jdbi();
        // on the shared JDBI, so that the reads of every feature (verification, lists) are bounded too
        jdbi.getConfig(ReadTimeout.class)
                .setLimit(configuration.getStatementTimeout());
        platform.reads().replica().ifPresent(replica -> replica.getConfig(ReadTimeout.class)
                .setLimit(configuration.getStatementTimeout()));
        Database.prepare(jdbi, StatementTimeoutDao.class);
        byte[] candidate = new byte[32];
        new SecureRandom().nextBytes(candidate);
        byte[] secret = jdbi.withExtension(SecretDao.class, dao -> dao.ensure("cursor-hmac", candidate));
        var cursors = new CursorCodec(secret);
        environment.jersey().register(new EventsResource(new QueryService(platform.reads(), cursors, platform.trail(),
                configuration.isRecordQueries())));
        return new QueryService(platform.reads(), cursors, platform.trail(), false);
    }
}
