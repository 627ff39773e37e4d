package org.auditlog.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * Admin tasks that change something are recorded: in the log of the tenant they name, or of the
 * reserved tenant {@code _system} when they act across tenants. Read-only ones (verify-chain, a dry
 * run) are not, and no key can be made for a tenant whose name starts with {@code _}.
 */
class RecordedTasksTest {
    private static final TestApp APP = TestApp.get();

    private static List<Map<String, Object>> recorded(String tenant, String action) {
        return TestApp.rows("select outcome, category, actor_id, actor_type, resource_type, resource_id, metadata::text as metadata "
                + "from audit_events where tenant = ? and action = ? order by seq", tenant, action);
    }

    @Test
    void aTaskAcrossTenantsIsRecordedInTheSystemTenantAndOneNamingATenantInThatTenant() throws Exception {
        int checkpoints = recorded("_system", "task.checkpoint").size();
        assertThat(APP.task("checkpoint").status()).isEqualTo(200);
        List<Map<String, Object>> after = recorded("_system", "task.checkpoint");
        assertThat(after).hasSize(checkpoints + 1);
        Map<String, Object> event = after.get(after.size() - 1);
        assertThat(event).containsEntry("outcome", "success").containsEntry("category", "admin")
                .containsEntry("actor_id", "admin-port").containsEntry("actor_type", "operator")
                .containsEntry("resource_type", "task").containsEntry("resource_id", "checkpoint");

        String tenant = TestApp.newTenant("task-tenant");
        APP.createKey(tenant, "ingest");
        var run = APP.task("retention-run?dryRun=false&tenant=" + tenant);
        assertThat(run.status()).as(run.toString()).isEqualTo(200);
        assertThat(TestApp.JSON.readTree(run.body()).get("runs")).hasSize(1);
        assertThat(TestApp.rows("select 1 from retention_runs where tenant = ? and trigger = 'task'", tenant)).hasSize(1);
        List<Map<String, Object>> inTenant = recorded(tenant, "task.retention-run");
        assertThat(inTenant).hasSize(1);
        assertThat((String) inTenant.get(0).get("metadata")).contains("\"dryRun\": [\"false\"]", "\"tenant\": [\"" + tenant + "\"]");
    }

    @Test
    void readOnlyTasksAreNotRecordedAndAFailedOneIsRecordedAsAFailure() {
        String tenant = TestApp.newTenant("task-read");
        APP.createKey(tenant, "ingest");
        assertThat(APP.task("verify-chain?tenant=" + tenant).status()).isEqualTo(200);
        assertThat(APP.task("retention-run?dryRun=true&tenant=" + tenant).status()).isEqualTo(200);
        assertThat(TestApp.rows("select 1 from audit_events where tenant in (?, '_system') and action in "
                + "('task.verify-chain') union all select 1 from audit_events where tenant = ? and action like 'task.%'",
                tenant, tenant)).isEmpty();

        int failures = (int) recorded("_system", "task.retention-run").stream().filter(e -> e.get("outcome").equals("failure")).count();
        assertThat(APP.task("retention-run?dryRun=perhaps").status()).isGreaterThanOrEqualTo(400);
        assertThat(recorded("_system", "task.retention-run").stream().filter(e -> e.get("outcome").equals("failure")).count())
                .isEqualTo(failures + 1);
    }

    @Test
    void noKeyIsMadeForAReservedTenant() {
        assertThatThrownBy(() -> TestApp.command("create-key", "config.yml", "--tenant", "_system", "--role", "admin"))
                .hasStackTraceContaining("reserved");
        assertThat(TestApp.rows("select 1 from api_keys where tenant = '_system'")).isEmpty();
    }
}
