package org.auditlog.integrity;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Verifies the events every tenant added since the last run. */
@DisallowConcurrentExecution
public final class VerificationJob implements Job {
    private final ContinuousVerification verification;

    public VerificationJob(ContinuousVerification verification) {
        this.verification = verification;
    }

    @Override
    public void execute(JobExecutionContext context) {
        verification.verifyAll();
    }
}
