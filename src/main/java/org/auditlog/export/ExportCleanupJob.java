package org.auditlog.export;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Deletes export files past {@code exports.ttl}; their records stay. */
@DisallowConcurrentExecution
public final class ExportCleanupJob implements Job {
    private final ExportService exports;

    public ExportCleanupJob(ExportService exports) {
        this.exports = exports;
    }

    @Override
    public void execute(JobExecutionContext context) {
        exports.deleteExpired();
    }
}
