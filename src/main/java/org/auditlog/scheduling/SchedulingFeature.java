package org.auditlog.scheduling;

import io.dropwizard.core.setup.Environment;
import javax.sql.DataSource;

/** The clustered Quartz scheduler that features hand their tasks to. */
public final class SchedulingFeature {
    private SchedulingFeature() {
    }

    /**
     * The scheduler and its health check. It is not yet handed to the lifecycle: the application does
     * that once every feature has registered its tasks.
     */
    public static JobScheduler register(Environment environment, SchedulingConfiguration configuration,
                                        DataSource dataSource) {
        var scheduler = new JobScheduler(configuration, dataSource);
        environment.healthChecks().register("scheduler", new SchedulerHealthCheck(scheduler, configuration.isEnabled()));
        return scheduler;
    }
}
