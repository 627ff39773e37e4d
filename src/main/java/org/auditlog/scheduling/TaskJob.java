package org.auditlog.scheduling;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import org.auditlog.common.RequestIds;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Quartz job class: runs the task its job data names ({@value #TASK}) from the tasks the
 * features registered with {@link JobScheduler}. Runs of one job may overlap; a job that must not
 * overlap with itself is an {@link ExclusiveTaskJob}.
 */
public class TaskJob implements Job {
    private static final Logger LOG = LoggerFactory.getLogger(TaskJob.class);

    /** The job data key naming the task. */
    public static final String TASK = "task";
    /** The job data key of the id of the request that started the job ({@link JobScheduler#runOnce}). */
    public static final String REQUEST_ID = "requestId";

    private final Map<String, ScheduledTask> tasks;

    TaskJob(Map<String, ScheduledTask> tasks) {
        this.tasks = requireNonNull(tasks, "tasks is null");
    }

    /**
     * A job naming no task this release knows (stored by another release) is reported and left
     * alone: failing it would only make Quartz try again.
     */
    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        String job = context.getJobDetail().getKey().getName();
        Map<String, String> data = new HashMap<>();
        context.getMergedJobDataMap().forEach((key, value) -> data.put(key, String.valueOf(value)));
        String name = data.remove(TASK);
        String requestId = data.remove(REQUEST_ID);
        try (var id = RequestIds.within(requestId != null ? requestId : RequestIds.fresh())) {
            run(job, name, data, context);
        }
    }

    /** Runs the task in the logging context of the request that started it, or of this run. */
    private void run(String job, String name, Map<String, String> data, JobExecutionContext context)
            throws JobExecutionException {
        ScheduledTask task = name == null ? null : tasks.get(name);
        if (task == null) {
            LOG.error("job {} names the task {}, which this instance does not have; the job does nothing", job, name);
            return;
        }
        var firing = new Firing(job, data, context.isRecovering(), context.getScheduledFireTime().toInstant(),
                instance(context));
        try {
            task.run(firing);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new JobExecutionException(e);
        }
    }

    private static String instance(JobExecutionContext context) {
        try {
            return context.getScheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            return "unknown";
        }
    }
}
