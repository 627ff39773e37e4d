package org.auditlog.integrity;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Signs a checkpoint for every tenant whose chain grew since its last one. */
@DisallowConcurrentExecution
public final class CheckpointJob implements Job {
    private final CheckpointService checkpoints;

    public CheckpointJob(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Override
    public void execute(JobExecutionContext context) {
        checkpoints.checkpointAll();
    }
}
