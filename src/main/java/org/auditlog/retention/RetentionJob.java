package org.auditlog.retention;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs retention for every tenant on the {@code retention.schedule} cron. */
@DisallowConcurrentExecution
public final class RetentionJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
    private final RetentionRunner retention;

    public RetentionJob(RetentionRunner retention) {
        this.retention = retention;
    }

    @Override
    public void execute(JobExecutionContext context) {
        LOG.info("retention job fired for {} on instance {}", context.getScheduledFireTime().toInstant(), instance(context));
        var runs = retention.runAll(false, "schedule");
        LOG.info("retention job finished: {} tenant run(s), {} event(s) deleted", runs.size(),
                runs.stream().mapToLong(RetentionRun::deleted).sum());
    }

    private static String instance(JobExecutionContext context) {
        try {
            return context.getScheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            return "unknown";
        }
    }
}
