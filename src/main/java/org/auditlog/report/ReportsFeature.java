package org.auditlog.report;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.auditlog.integrity.IntegrityFeature;
import org.auditlog.outbound.Mailer;
import org.auditlog.outbound.SmtpConfiguration;
import org.auditlog.trail.Platform;
import org.auditlog.trail.RecordedTask;

/** Compliance reports: the API, the background job that makes them, and their schedules, mailed through {@code smtp}. */
public final class ReportsFeature {
    private ReportsFeature() {
    }

    public static void register(Environment environment, ReportsConfiguration configuration, Platform platform,
                                IntegrityFeature.Integrity integrity, SmtpConfiguration smtp) {
        Path directory = configuration.getDirectory().isBlank() ? platform.dataDir().resolve("reports")
                : Path.of(configuration.getDirectory());
        String version = ReportsFeature.class.getPackage().getImplementationVersion();
        var builder = new ReportBuilder(platform.reads(), integrity.service(),
                version == null ? "development build" : version);
        var reports = new ReportService(platform.jdbi(), builder, integrity.keys(), platform.scheduler(), platform.trail(),
                environment.getObjectMapper(), directory);
        environment.jersey().register(new ReportsResource(reports, platform.bodies()));
        platform.scheduler().task(ReportService.TASK, reports::runJob);

        var schedules = new ReportSchedules(platform.jdbi(), reports, new Mailer(smtp), platform.trail(),
                platform.limits().getReportSchedules(), configuration.getMaxAttachmentBytes());
        environment.jersey().register(new ReportSchedulesResource(schedules, platform.bodies()));
        platform.scheduler().every(ReportSchedules.TASK, firing -> schedules.runDue(), configuration.getScheduleInterval());
        var mapper = environment.getObjectMapper();
        environment.admin().addTask(new RecordedTask(new Task(ReportSchedules.TASK) {
            @Override
            public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
                output.println(mapper.writeValueAsString(schedules.runDue()));
            }
        }, platform.trail()));
    }
}
