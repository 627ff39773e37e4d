package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.lifecycle.JettyManaged;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * With one login for everything (config.yml as the tests run it: database.user, no runtime user), the
 * running service's pool acts as audit_runtime on every connection, checked on the pool itself.
 */
class RuntimeRoleTest {
    private static final int CONNECTIONS = 4;

    @Test
    void everyConnectionOfTheServicesPoolActsAsTheRuntimeRole() throws Exception {
        ManagedDataSource pool = servicePool();
        List<Connection> held = new ArrayList<>();
        try {
            // held at once, so each is a physical connection of its own, each checked by the validation query
            for (int i = 0; i < CONNECTIONS; i++) {
                held.add(pool.getConnection());
            }
            for (Connection connection : held) {
                try (var statement = connection.createStatement();
                     var row = statement.executeQuery("select current_user, session_user")) {
                    row.next();
                    assertThat(row.getString(1)).isEqualTo("audit_runtime");
                    assertThat(row.getString(2)).isEqualTo("postgres");
                }
            }
            Connection connection = held.get(0);
            assertThatThrownBy(() -> {
                try (var statement = connection.createStatement()) {
                    statement.execute("delete from audit_events where false");
                }
            }).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void aRolledBackTransactionAndTheReturnToThePoolLeaveTheRoleInPlace() throws Exception {
        ManagedDataSource pool = servicePool();
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try (var statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.execute("truncate audit_events")).isInstanceOf(SQLException.class);
            }
            connection.rollback();
            connection.setAutoCommit(true);
            assertThat(currentUser(connection)).isEqualTo("audit_runtime");
        }
        for (int i = 0; i < CONNECTIONS * 3; i++) {
            try (Connection connection = pool.getConnection()) {
                assertThat(currentUser(connection)).isEqualTo("audit_runtime");
            }
        }
    }

    private static String currentUser(Connection connection) throws SQLException {
        try (var statement = connection.createStatement(); var row = statement.executeQuery("select current_user")) {
            row.next();
            return row.getString(1);
        }
    }

    /** The pool the running application registered with its lifecycle, the one its Jdbi and Quartz use. */
    private static ManagedDataSource servicePool() {
        return TestApp.get().support().getEnvironment().lifecycle().getManagedObjects().stream()
                .filter(JettyManaged.class::isInstance)
                .map(managed -> ((JettyManaged) managed).getManaged())
                .filter(ManagedDataSource.class::isInstance)
                .map(ManagedDataSource.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("the application registered no pool"));
    }
}
