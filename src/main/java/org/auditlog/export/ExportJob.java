package org.auditlog.export;

import java.util.UUID;
import org.quartz.Job;
import org.quartz.JobExecutionContext;

/** Runs one background export; its data holds only the export's id, the rest is reloaded. */
public final class ExportJob implements Job {
    private final ExportService exports;

    public ExportJob(ExportService exports) {
        this.exports = exports;
    }

    /**
     * Quartz runs the job again, marked as recovering, when the instance that ran it died (its job
     * requests recovery); the export then ends as failed instead of staying {@code running}.
     */
    @Override
    public void execute(JobExecutionContext context) {
        UUID id = UUID.fromString(context.getMergedJobDataMap().getString(ExportService.JOB_DATA_ID));
        if (context.isRecovering()) {
            exports.recover(id);
        } else {
            exports.run(id);
        }
    }
}
