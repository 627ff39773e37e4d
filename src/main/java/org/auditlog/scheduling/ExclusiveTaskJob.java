package org.auditlog.scheduling;

import java.util.Map;
import org.quartz.DisallowConcurrentExecution;

/**
 * A {@link TaskJob} of which the cluster runs one firing at a time: the scheduled jobs, whose
 * overlapping runs would do the same work twice. Quartz reads the annotation from the job's class,
 * so this is a class of its own.
 */
@DisallowConcurrentExecution
public final class ExclusiveTaskJob extends TaskJob {
    ExclusiveTaskJob(Map<String, ScheduledTask> tasks) {
        super(tasks);
    }
}
