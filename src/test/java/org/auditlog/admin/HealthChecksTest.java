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
                "alert-delivery", "exports-dir");
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
