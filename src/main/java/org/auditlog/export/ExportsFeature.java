package org.auditlog.export;

import com.codahale.metrics.health.HealthCheck;
import io.dropwizard.core.setup.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.trail.Platform;

/** Compliance exports: streamed, and in the background with signed manifests; the cleanup job. */
public final class ExportsFeature {
    private ExportsFeature() {
    }

    /** Answers the export service, which the console exports through. */
    public static ExportService register(Environment environment, ExportsConfiguration configuration, Platform platform,
                                         SigningKeys keys) {
        Path directory = configuration.getDirectory().isBlank() ? platform.dataDir().resolve("exports")
                : Path.of(configuration.getDirectory());
        var scheduler = platform.scheduler();
        var exports = new ExportService(platform.reads(), keys, scheduler, platform.trail(), environment.getObjectMapper(),
                directory, configuration.getTtl(), environment.metrics().meter("export.rows"), platform.limits());
        environment.jersey().register(new ExportsResource(exports, platform.bodies()));
        scheduler.task(ExportService.TASK, exports::runJob);
        scheduler.every("export-cleanup", firing -> exports.deleteExpired(), configuration.getCleanupInterval());
        environment.healthChecks().register("exports-dir", new ExportsDirectoryCheck(directory));
        return exports;
    }

    /** Unhealthy when the exports folder cannot be created or written. */
    static final class ExportsDirectoryCheck extends HealthCheck {
        private final Path directory;

        ExportsDirectoryCheck(Path directory) {
            this.directory = directory;
        }

        @Override
        protected Result check() {
            try {
                Files.createDirectories(directory);
                Path probe = Files.createTempFile(directory, ".health", ".probe");
                Files.delete(probe);
                return Result.healthy("writable");
            } catch (IOException | SecurityException e) {
                return Result.unhealthy("the exports folder is not writable");
            }
        }
    }
}
