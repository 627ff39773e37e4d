package org.auditlog.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.auditlog.database.Database;
import org.auditlog.database.DatabaseConfiguration;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A database upgraded from a release with one Quartz job class per job: its stored jobs name the
 * task they run through {@link TaskJob} after the migration, and the rollback gives them back as
 * they were, byte for byte.
 */
class TaskJobsMigrationTest {
    private static final String PURPOSE = "taskjobs";
    private static final String CHANGELOG = "migrations/013-task-jobs.xml";

    /** The jobs an earlier release stored, by job name: its class, the task that now runs it, its data. */
    private record Stored(String jobClass, String task, String newClass, Map<String, String> data) {
    }

    private static final Map<String, Stored> EARLIER = new LinkedHashMap<>();

    static {
        String exclusive = ExclusiveTaskJob.class.getName();
        EARLIER.put("export-4f1c", new Stored("org.auditlog.export.ExportJob", "export", TaskJob.class.getName(),
                Map.of("exportId", "4f1c2a3b-0000-4000-8000-000000000001")));
        EARLIER.put("export-cleanup", new Stored("org.auditlog.export.ExportCleanupJob", "export-cleanup", exclusive, Map.of()));
        EARLIER.put("checkpoint", new Stored("org.auditlog.integrity.CheckpointJob", "checkpoint", exclusive, Map.of()));
        EARLIER.put("verify-chains", new Stored("org.auditlog.integrity.VerificationJob", "verify-chains", exclusive, Map.of()));
        EARLIER.put("retention", new Stored("org.auditlog.retention.RetentionJob", "retention", exclusive, Map.of()));
        EARLIER.put("evaluate-alerts", new Stored("org.auditlog.alerting.AlertEvaluationJob", "evaluate-alerts", exclusive, Map.of()));
        EARLIER.put("deliver-alerts", new Stored("org.auditlog.alerting.AlertDeliveryJob", "deliver-alerts", exclusive, Map.of()));
    }

    @AfterAll
    static void drop() {
        TestDatabase.get().dropScratch(PURPOSE);
    }

    @Test
    void storedJobsOfTheEarlierClassesRunTheirTaskAfterTheUpgradeAndTheRollbackRestoresThem() throws Exception {
        Jdbi jdbi = TestDatabase.get().migratedScratch(PURPOSE);
        Map<String, byte[]> before = new LinkedHashMap<>();
        jdbi.useHandle(handle -> {
            handle.execute("delete from databasechangelog where filename = ?", CHANGELOG);
            for (var job : EARLIER.entrySet()) {
                byte[] data = StoredJobData.of(job.getValue().data());
                before.put(job.getKey(), data);
                handle.execute("insert into qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, "
                        + "is_nonconcurrent, is_update_data, requests_recovery, job_data) values "
                        + "('audit-service', ?, 'audit', ?, ?, ?, false, ?, ?)", job.getKey(), job.getValue().jobClass(),
                        !job.getValue().task().equals("export"), !job.getValue().task().equals("export"),
                        job.getValue().task().equals("export"), data);
            }
        });
        DatabaseConfiguration database = new DatabaseConfiguration();
        database.setUrl(TestDatabase.get().url() + "_" + PURPOSE);
        database.setUser("postgres");
        database.setPassword("");
        Database.migrate(database);

        for (var job : EARLIER.entrySet()) {
            assertThat(jobClass(jdbi, job.getKey())).isEqualTo(job.getValue().newClass());
            Map<String, String> expected = new LinkedHashMap<>(job.getValue().data());
            expected.put(TaskJob.TASK, job.getValue().task());
            assertThat(StoredJobData.read(jobData(jdbi, job.getKey()))).as(job.getKey()).isEqualTo(expected);
        }

        String rollback = rollbackSql();
        jdbi.useHandle(handle -> handle.execute(rollback));
        for (var job : EARLIER.entrySet()) {
            assertThat(jobClass(jdbi, job.getKey())).isEqualTo(job.getValue().jobClass());
            assertThat(jobData(jdbi, job.getKey())).as(job.getKey()).isEqualTo(before.get(job.getKey()));
        }
    }

    private static String jobClass(Jdbi jdbi, String job) {
        return jdbi.withHandle(handle -> handle.createQuery("select job_class_name from qrtz_job_details where job_name = ?")
                .bind(0, job).mapTo(String.class).one());
    }

    private static byte[] jobData(Jdbi jdbi, String job) {
        return jdbi.withHandle(handle -> handle.createQuery("select job_data from qrtz_job_details where job_name = ?")
                .bind(0, job).mapTo(byte[].class).one());
    }

    private static String rollbackSql() throws Exception {
        var document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Files.newInputStream(Path.of(CHANGELOG)));
        return document.getElementsByTagName("rollback").item(0).getTextContent();
    }
}
