package org.auditlog.retention;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Runs retention for every tenant on the {@code retention.schedule} cron. */
@DisallowConcurrentExecution
public final class RetentionJob implements Job {
    private final RetentionService retention;

    public RetentionJob(RetentionService retention) {
        this.retention = retention;
    }

    @Override
    public void execute(JobExecutionContext context) {
        retention.runAll(false, "schedule");
    }
}
