package org.auditlog.alerting;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Sends due deliveries: retries after their backoff. */
@DisallowConcurrentExecution
public final class AlertDeliveryJob implements Job {
    private final Deliveries deliveries;

    public AlertDeliveryJob(Deliveries deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void execute(JobExecutionContext context) {
        deliveries.deliverDue();
    }
}
