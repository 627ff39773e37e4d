package org.auditlog.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.auditlog.support.BulkEvents;
import org.auditlog.support.Folders;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A background export requested of a release with one Quartz job class per job, still waiting when
 * that release stopped: the jar of this release upgrades the database at start and runs the export.
 */
class TaskJobsUpgradeIT {
    private static final String PURPOSE = "taskjobsupgrade";

    @Test
    void aWaitingExportOfTheEarlierReleaseRunsAfterTheUpgrade() throws Exception {
        Jdbi jdbi = TestDatabase.get().migratedScratch(PURPOSE);
        String url = TestDatabase.get().url() + "_" + PURPOSE;
        Path data = Files.createTempDirectory(PURPOSE);
        BulkEvents.load(url, "acme", 12);
        UUID export = UUID.randomUUID();
        String job = "export-" + export;
        long due = System.currentTimeMillis() - 60_000;
        jdbi.useHandle(handle -> {
            // the database as the earlier release left it: not migrated to task jobs, one export waiting
            handle.execute("delete from databasechangelog where filename = 'migrations/013-task-jobs.xml'");
            handle.execute("insert into exports (id, tenant, format, filters, status, created_by, created_at) "
                    + "values (?, 'acme', 'csv', '{}', 'queued', 'key:test', now())", export);
            handle.execute("insert into qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, "
                    + "is_nonconcurrent, is_update_data, requests_recovery, job_data) values "
                    + "('audit-service', ?, 'audit', 'org.auditlog.export.ExportJob', false, false, false, true, ?)",
                    job, StoredJobData.of(Map.of("exportId", export.toString())));
            handle.execute("insert into qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, "
                    + "next_fire_time, prev_fire_time, priority, trigger_state, trigger_type, start_time, end_time, "
                    + "misfire_instr, job_data) values "
                    + "('audit-service', ?, 'audit', ?, 'audit', ?, -1, 5, 'WAITING', 'SIMPLE', ?, 0, 1, ?)",
                    job, job, due, due, StoredJobData.of(Map.of()));
            handle.execute("insert into qrtz_simple_triggers (sched_name, trigger_name, trigger_group, repeat_count, "
                    + "repeat_interval, times_triggered) values ('audit-service', ?, 'audit', 0, 0, 0)", job);
        });

        try (var service = ServiceProcess.start("taskjobs-upgrade", url, data)) {
            TestApp.eventually("the waiting export finishes", () -> TestDatabase.count(url,
                    "select count(*) from exports where status not in ('queued', 'running') and id = '" + export + "'") == 1);
            assertThat(TestDatabase.count(url, "select count(*) from exports where status = 'done' and row_count = 12 "
                    + "and id = '" + export + "'")).as(service.log()).isEqualTo(1);
            assertThat(Files.exists(data.resolve("exports").resolve("acme"))).isTrue();
        } finally {
            TestDatabase.get().dropScratch(PURPOSE);
            Folders.delete(data);
        }
    }
}
