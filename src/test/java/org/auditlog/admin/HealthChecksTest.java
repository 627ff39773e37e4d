package org.auditlog.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.impl.SchedulerRepository;

/**
 * Each health check of the contract turns unhealthy when its part fails. (The database check is
 * shown with a real PostgreSQL stopped and started in OperationsIT; retention, integrity and
 * alert-delivery in their features' tests.)
 */
class HealthChecksTest {
    private static final TestApp APP = TestApp.get();

    private static JsonNode health() {
        return APP.get(APP.adminUrl() + "/healthcheck", null).json();
    }

    @Test
    void everyNamedCheckIsThere() {
        assertThat(health().fieldNames()).toIterable().contains("database", "scheduler", "retention", "integrity",
                "alert-delivery", "exports-dir", "migrations", "replica", "streams");
    }

    @Test
    void theSchedulerCheckTurnsUnhealthyInStandby() throws Exception {
        Scheduler scheduler = SchedulerRepository.getInstance().lookup("audit-service");
        assertThat(health().get("scheduler").get("healthy").asBoolean()).isTrue();
        scheduler.standby();
        try {
            JsonNode check = health().get("scheduler");
            assertThat(check.get("healthy").asBoolean()).isFalse();
            assertThat(check.get("message").asText()).contains("not running");
        } finally {
            scheduler.start();
        }
        assertThat(health().get("scheduler").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void theMigrationsCheckIsUnhealthyWhenTheDatabaseIsBehindTheJarAndHealthyWithAMessageWhenAhead() {
        JsonNode check = health().get("migrations");
        assertThat(check.get("healthy").asBoolean()).as(check.toString()).isTrue();
        assertThat(check.get("message").asText()).startsWith("all ").endsWith(" changesets of this release are applied");

        // one of this release's changesets missing: not migrated yet, or it failed (Liquibase records no failure)
        String missing = "filename = 'migrations/021-alert-delivery-log.xml' and id = '1-delivery-log-order'";
        TestApp.tamper("create table databasechangelog_aside as select * from databasechangelog where " + missing,
                "delete from databasechangelog where " + missing);
        try {
            check = health().get("migrations");
            assertThat(check.get("healthy").asBoolean()).isFalse();
            assertThat(check.get("message").asText()).contains("behind this release", "1 of its",
                    "migrations/021-alert-delivery-log.xml::1-delivery-log-order::audit-service");
        } finally {
            TestApp.tamper("insert into databasechangelog select * from databasechangelog_aside", "drop table databasechangelog_aside");
        }

        // a database a release before 022 migrated: without the function that lists what is applied
        TestApp.tamper("alter function audit_applied_changesets() rename to audit_applied_changesets_aside");
        try {
            check = health().get("migrations");
            assertThat(check.get("healthy").asBoolean()).isFalse();
            assertThat(check.get("message").asText()).contains("behind this release", "db migrate");
        } finally {
            TestApp.tamper("alter function audit_applied_changesets_aside() rename to audit_applied_changesets");
        }

        // a newer release's changeset, during a rolling upgrade
        TestApp.tamper("insert into databasechangelog (id, author, filename, dateexecuted, orderexecuted, exectype) "
                + "values ('1-next', 'audit-service', 'migrations/999-next-release.xml', now(), 100000, 'EXECUTED')");
        try {
            check = health().get("migrations");
            assertThat(check.get("healthy").asBoolean()).isTrue();
            assertThat(check.get("message").asText()).contains("ahead of this release by 1",
                    "migrations/999-next-release.xml::1-next");
        } finally {
            TestApp.tamper("delete from databasechangelog where filename = 'migrations/999-next-release.xml'");
        }
        assertThat(health().get("migrations").get("healthy").asBoolean()).isTrue();
    }

    @Test
    void theExportsFolderCheckTurnsUnhealthyWhenTheFolderCannotBeWritten() throws Exception {
        Path exports = APP.dataDir().resolve("exports");
        Path aside = APP.dataDir().resolve("exports-aside");
        Files.createDirectories(exports);
        Files.move(exports, aside);
        Files.writeString(exports, "a file where the exports folder should be");
        try {
            JsonNode check = health().get("exports-dir");
            assertThat(check.get("healthy").asBoolean()).isFalse();
            assertThat(check.get("message").asText()).contains("not writable");
        } finally {
            Files.delete(exports);
            Files.move(aside, exports);
        }
        assertThat(health().get("exports-dir").get("healthy").asBoolean()).isTrue();
    }
}
