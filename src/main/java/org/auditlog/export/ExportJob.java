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

    @Override
    public void execute(JobExecutionContext context) {
        exports.run(UUID.fromString(context.getMergedJobDataMap().getString(ExportService.JOB_DATA_ID)));
    }
}
