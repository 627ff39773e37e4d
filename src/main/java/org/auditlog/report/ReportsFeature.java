package org.auditlog.report;

import io.dropwizard.core.setup.Environment;
import java.nio.file.Path;
import org.auditlog.integrity.IntegrityFeature;
import org.auditlog.trail.Platform;

/** Compliance reports: the API, the background job that makes them. */
public final class ReportsFeature {
    private ReportsFeature() {
    }

    /** Answers the service, which the report schedules use. */
    public static ReportService register(Environment environment, ReportsConfiguration configuration, Platform platform,
                                         IntegrityFeature.Integrity integrity) {
        Path directory = configuration.getDirectory().isBlank() ? platform.dataDir().resolve("reports")
                : Path.of(configuration.getDirectory());
        String version = ReportsFeature.class.getPackage().getImplementationVersion();
        var builder = new ReportBuilder(platform.jdbi(), integrity.service(), version == null ? "development build" : version);
        var reports = new ReportService(platform.jdbi(), builder, integrity.keys(), platform.scheduler(), platform.trail(),
                environment.getObjectMapper(), directory);
        environment.jersey().register(new ReportsResource(reports, platform.bodies()));
        platform.scheduler().task(ReportService.TASK, reports::runJob);
        return reports;
    }
}
