package org.auditlog.scheduling;

import com.codahale.metrics.health.HealthCheck;

/** Unhealthy when this instance's scheduler is not running (stopped, in standby, or never started). */
public final class SchedulerHealthCheck extends HealthCheck {
    private final JobScheduler scheduler;
    private final boolean enabled;

    public SchedulerHealthCheck(JobScheduler scheduler, boolean enabled) {
        this.scheduler = scheduler;
        this.enabled = enabled;
    }

    @Override
    protected Result check() {
        if (!enabled) {
            return Result.healthy("scheduling is disabled on this instance");
        }
        return scheduler.isRunning() ? Result.healthy("running") : Result.unhealthy("the scheduler is not running");
    }
}
