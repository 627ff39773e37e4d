package org.auditlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** The verify command checks a chain straight from the database. */
class VerifyCommandTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void reportsAnIntactChainAndFailsOnABrokenOne() throws Exception {
        String tenant = TestApp.newTenant("verify-cli");
        String key = APP.createKey(tenant, "ingest");
        for (int i = 0; i < 4; i++) {
            APP.post("/api/v1/events", key, Map.of("action", "a.b", "actor", Map.of("id", "x" + i)));
        }
        assertThat(run("verify", "config.yml", "--tenant", tenant)).contains("\"ok\":true", "\"checked\":5");

        TestApp.tamper("update audit_events set actor_id = 'z' where tenant = '" + tenant + "' and seq = 3");
        var output = new StringBuilder();
        assertThatThrownBy(() -> output.append(run("verify", "config.yml", "--tenant", tenant)))
                .hasStackTraceContaining("broken at seq 3");
    }

    static String run(String... args) throws Exception {
        return TestApp.command(args);
    }
}
