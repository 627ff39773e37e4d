package org.auditlog.alerting;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Evaluates every enabled rule, then sends what is due. */
@DisallowConcurrentExecution
public final class AlertEvaluationJob implements Job {
    private final AlertEvaluator evaluator;

    public AlertEvaluationJob(AlertEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @Override
    public void execute(JobExecutionContext context) {
        evaluator.evaluateAll();
    }
}
