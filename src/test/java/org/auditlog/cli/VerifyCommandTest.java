package org.auditlog.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.auditlog.AuditApplication;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
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

    /** Runs the command in-process; a failing command throws instead of exiting the JVM. */
    static String run(String... args) throws Exception {
        PrintStream original = System.out;
        var captured = new ByteArrayOutputStream();
        System.setProperty("dw.database.url", TestDatabase.get().url());
        System.setProperty("dw.dataDir", APP.dataDir().toString());
        System.setProperty("dw.logging.level", "WARN");
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            new AuditApplication() {
                @Override
                protected void onFatalError(Throwable t) {
                    throw new IllegalStateException("command failed", t);
                }
            }.run(args);
        } finally {
            System.setOut(original);
            System.clearProperty("dw.database.url");
            System.clearProperty("dw.dataDir");
            System.clearProperty("dw.logging.level");
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
