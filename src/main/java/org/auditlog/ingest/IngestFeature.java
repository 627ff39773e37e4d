package org.auditlog.ingest;

import io.dropwizard.core.setup.Environment;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import org.auditlog.integrity.EventHasher;
import org.auditlog.trail.AuditTrail;
import org.auditlog.web.JsonBodies;
import org.auditlog.database.Partitions;
import org.jdbi.v3.core.Jdbi;

/** Ingest: validation, the group-committing appender and the two ingest endpoints. */
public final class IngestFeature {
    /** How long recorded reads wait for others to share their commit. */
    static final Duration READ_RECORD_LINGER = Duration.ofMillis(50);

    private IngestFeature() {
    }

    /**
     * A full queue runs the flush on the caller's thread; a shut-down executor refuses, so that the
     * trail appends on the caller's thread too (the JDK's caller-runs policy would drop it silently).
     */
    private static void runHereUnlessShutDown(Runnable task, ThreadPoolExecutor executor) {
        if (executor.isShutdown()) {
            throw new RejectedExecutionException("the audit trail's executor has stopped");
        }
        task.run();
    }

    /** Answers the audit trail, which other features record their callers' actions in. */
    public static AuditTrail register(Environment environment, IngestConfiguration configuration, Jdbi jdbi,
                                      Partitions partitions, JsonBodies bodies) {
        var writer = new ChainWriter(jdbi, new EventHasher(environment.getObjectMapper()), partitions);
        var appender = new EventAppender(writer, configuration, environment.metrics());
        environment.lifecycle().manage(appender);
        var validator = new EventValidator(configuration.getMaxFutureSkew(),
                environment.getObjectMapper());
        var service = new IngestService(validator, appender, configuration.getMaxBatchSize());
        environment.jersey().register(new IngestResource(service, bodies, configuration));
        var background = environment.lifecycle().executorService("audit-trail-%d")
                .minThreads(1).maxThreads(4).workQueue(new java.util.concurrent.LinkedBlockingQueue<>(10_000))
                .rejectedExecutionHandler(IngestFeature::runHereUnlessShutDown)
                .build();
        var trail = new AuditTrail(appender, background, READ_RECORD_LINGER);
        // managed after the executor and the appender, so it is stopped before them: on a graceful
        // stop the reads still waiting are appended while the appender and the pool are up
        environment.lifecycle().manage(trail);
        return trail;
    }
}
