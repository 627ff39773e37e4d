package org.auditlog.scheduling;

import io.dropwizard.core.setup.Environment;
import javax.sql.DataSource;

/** The clustered Quartz scheduler that features hand their jobs to. */
public final class SchedulingFeature {
    private SchedulingFeature() {
    }

    /** Registered after the pool, so it stops before the pool closes. */
    public static JobScheduler register(Environment environment, SchedulingConfiguration configuration,
                                        DataSource dataSource) {
        var scheduler = new JobScheduler(configuration, dataSource);
        environment.lifecycle().manage(scheduler);
        environment.healthChecks().register("scheduler", new SchedulerHealthCheck(scheduler, configuration.isEnabled()));
        return scheduler;
    }
}
