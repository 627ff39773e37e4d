package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The database itself, even for the superuser, refuses to change or remove stored events. */
class AppendOnlyTest {
    private static final TestApp APP = TestApp.get();
    private static String tenant;

    @BeforeAll
    static void someEvents() {
        tenant = TestApp.newTenant("append-only");
        String key = APP.createKey(tenant, "ingest");
        for (int i = 0; i < 3; i++) {
            APP.post("/api/v1/events", key, Map.of("action", "kept.event", "actor", Map.of("id", "a" + i)));
        }
    }

    @Test
    void refusesUpdate() {
        assertThatThrownBy(() -> execute("update audit_events set action = 'tampered' where tenant = '" + tenant + "'"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("append-only");
        assertThat(TestApp.rows("select 1 from audit_events where action = 'tampered'")).isEmpty();
    }

    @Test
    void refusesDelete() {
        long before = TestApp.count(tenant);
        assertThatThrownBy(() -> execute("delete from audit_events where tenant = '" + tenant + "'"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("retention");
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void refusesTruncate() {
        long before = TestApp.count(tenant);
        assertThatThrownBy(() -> execute("truncate audit_events"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("retention");
        assertThat(TestApp.count(tenant)).isEqualTo(before);
    }

    @Test
    void letsTheRetentionPathDeleteInsideItsOwnTransaction() throws SQLException {
        String doomed = TestApp.newTenant("retention-path");
        APP.post("/api/v1/events", APP.createKey(doomed, "ingest"), Map.of("action", "a.b", "actor", Map.of("id", "x")));
        try (Connection connection = TestDatabase.get().connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("set local audit.retention = 'on'");
                statement.execute("delete from audit_events where tenant = '" + doomed + "'");
            }
            connection.commit();
        }
        assertThat(TestApp.count(doomed)).isZero();
        // the setting was local to that transaction
        assertThatThrownBy(() -> execute("delete from audit_events where tenant = '" + tenant + "'"))
                .isInstanceOf(SQLException.class);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.get().connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
