package org.auditlog.database;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.db.ManagedDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.tomcat.jdbc.pool.DataSourceProxy;
import org.apache.tomcat.jdbc.pool.PoolConfiguration;

/**
 * The role the running service acts as, {@code audit_runtime} (migrations/012-runtime-role.xml): it
 * owns nothing and may only append to the evidence. The service's pool logs in as
 * {@code database.runtimeUser} when one is configured, otherwise as {@code database.user}; either
 * way every physical connection starts with {@code SET ROLE audit_runtime}, so its privileges are
 * the role's whatever else the login was given. Migrations alone run as {@code database.user}.
 */
final class RuntimeRole {
    static final String NAME = "audit_runtime";
    private static final String SET_ROLE = "set role " + NAME;
    /** Whether {@code ?} may SET ROLE audit_runtime; PostgreSQL 16 grants that apart from membership. */
    private static final String MAY_SET_ROLE = "select case when current_setting('server_version_num')::int >= 160000 "
            + "then pg_has_role(?, '" + NAME + "', 'SET') else pg_has_role(?, '" + NAME + "', 'MEMBER') end";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    private static final String UNDEFINED_OBJECT = "42704";

    private RuntimeRole() {
    }

    /** The service's pool: the runtime login (or {@code user}), each connection acting as audit_runtime. */
    static ManagedDataSource pool(DatabaseConfiguration database, MetricRegistry metrics, String name) {
        check(database);
        ManagedDataSource dataSource = database.build(metrics, name);
        if (!(dataSource instanceof DataSourceProxy proxy)) {
            throw new IllegalStateException("the pool is not tomcat-jdbc's, which the runtime role needs: "
                    + dataSource.getClass().getName());
        }
        // tomcat-jdbc runs initSQL once on each new physical connection and commits it; neither the
        // validation query nor a connection's return to the pool resets the role
        PoolConfiguration pool = proxy.getPoolProperties();
        database.getRuntimeUser().ifPresent(user -> {
            pool.setUsername(user);
            pool.setPassword(database.getRuntimePassword());
        });
        String configured = database.getInitializationQuery();
        pool.setInitSQL(configured == null || configured.isBlank() ? SET_ROLE : SET_ROLE + "; " + configured);
        return dataSource;
    }

    /**
     * As the migrations' login ({@code connection}), makes the runtime login a member of audit_runtime
     * if it is not; fails, saying what the operator must run, when it may not.
     */
    static void admit(Connection connection, String runtimeUser) throws SQLException {
        connection.setAutoCommit(true);
        String grant = quoted(connection, "grant " + NAME + " to %I", runtimeUser);
        boolean member;
        try (PreparedStatement query = connection.prepareStatement(MAY_SET_ROLE)) {
            query.setString(1, runtimeUser);
            query.setString(2, runtimeUser);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                member = result.getBoolean(1);
            }
        } catch (SQLException e) {
            if (UNDEFINED_OBJECT.equals(e.getSQLState())) {
                throw new IllegalStateException("AUDIT_DB_RUNTIME_USER (database.runtimeUser) names no role of the "
                        + "database server: create it, as a role that may, with "
                        + quoted(connection, "CREATE ROLE %I LOGIN PASSWORD '...'", runtimeUser) + " and " + grant, e);
            }
            throw e;
        }
        if (member) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(grant);
        } catch (SQLException e) {
            throw new IllegalStateException("AUDIT_DB_RUNTIME_USER (database.runtimeUser) is not a member of " + NAME
                    + " and database.user may not make it one (" + e.getMessage() + "): run, as the owner of "
                    + NAME + " or a superuser, " + grant, e);
        }
    }

    /**
     * Takes the role once on a connection of its own, as the pool will on each of its own, so that a
     * login that may not start fails with what to do rather than the pool's bare validation failure.
     * Any other failure (the server away) is left to the pool, which reports and retries it.
     */
    private static void check(DatabaseConfiguration database) {
        String user = database.getRuntimeUser().orElse(database.getUser());
        String password = database.getRuntimeUser().isPresent() ? database.getRuntimePassword() : database.getPassword();
        try (Connection connection = DriverManager.getConnection(database.getUrl(),
                database.connectionProperties(user, password));
             Statement statement = connection.createStatement()) {
            statement.execute(SET_ROLE);
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) && !UNDEFINED_OBJECT.equals(e.getSQLState())) {
                return;
            }
            String login = database.getRuntimeUser().isPresent()
                    ? "AUDIT_DB_RUNTIME_USER (database.runtimeUser)" : "AUDIT_DB_USER (database.user)";
            throw new IllegalStateException(login + " may not act as " + NAME + " (" + e.getMessage() + "): "
                    + "apply the migrations (they create the role), and, as its owner or a superuser, run GRANT "
                    + NAME + " TO that login", e);
        }
    }

    private static String quoted(Connection connection, String format, String name) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select format(?, ?)")) {
            statement.setString(1, format);
            statement.setString(2, name);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }
}
