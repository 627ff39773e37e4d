package org.auditlog.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.auditlog.database.Database;
import org.auditlog.database.DatabaseConfiguration;
import org.jdbi.v3.core.Jdbi;

/**
 * The PostgreSQL database of one test run: a new database on the server at 127.0.0.1:5432 when it
 * answers, otherwise on an embedded PostgreSQL; dropped when the run ends.
 */
public final class TestDatabase {
    private static TestDatabase instance;

    private final String serverUrl;
    private final String name;
    private final EmbeddedPostgres embedded;

    private TestDatabase(String serverUrl, String name, EmbeddedPostgres embedded) {
        this.serverUrl = serverUrl;
        this.name = name;
        this.embedded = embedded;
    }

    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = create();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::drop, "test-database-drop"));
        }
        return instance;
    }

    private static TestDatabase create() {
        String name = "audit_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String local = "jdbc:postgresql://127.0.0.1:5432/";
        EmbeddedPostgres embedded = null;
        String serverUrl = local;
        if (!answers(local + "postgres")) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("no PostgreSQL at 127.0.0.1:5432 and the embedded one failed", e);
            }
            serverUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/";
        }
        execute(serverUrl + "postgres", "create database " + name);
        return new TestDatabase(serverUrl, name, embedded);
    }

    private static boolean answers(String url) {
        try (Connection ignored = DriverManager.getConnection(url + "?connectTimeout=2", "postgres", "")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Another database on the same server for this run, dropped with it; answers its URL. */
    public String scratch(String purpose) {
        String scratch = name + "_" + purpose;
        execute(serverUrl + "postgres", "create database " + scratch);
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> execute(serverUrl + "postgres", "drop database if exists " + scratch + " with (force)")));
        return serverUrl + scratch;
    }

    /** A scratch database with the service's migrations applied, and a Jdbi on it configured as the service's. */
    public Jdbi migratedScratch(String purpose) throws Exception {
        String url = scratch(purpose);
        Database.migrate(owner(url));
        return Database.configure(Jdbi.create(url, "postgres", ""));
    }

    /**
     * A scratch database with the schema of an earlier release ({@code changelog}, a changelog of the
     * test resources that includes that release's migrations), and a Jdbi on it configured as the
     * service's; {@link #owner} of its URL migrates it to this release.
     */
    public Jdbi scratchAsReleasedBefore(String purpose, String changelog) throws Exception {
        String url = scratch(purpose);
        try (var liquibase = new io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile(
                owner(url).build(new com.codahale.metrics.MetricRegistry(), "earlier"), changelog)) {
            liquibase.update("");
        }
        return Database.configure(Jdbi.create(url, "postgres", ""));
    }

    /** The database settings of the superuser, who owns every table, on a database of the run. */
    public static DatabaseConfiguration owner(String url) {
        DatabaseConfiguration database = new DatabaseConfiguration();
        database.setUrl(url);
        database.setUser("postgres");
        database.setPassword("");
        return database;
    }

    /** The URL of a scratch database of the run. */
    public String scratchUrl(String purpose) {
        return serverUrl + name + "_" + purpose;
    }

    public void dropScratch(String purpose) {
        execute(serverUrl + "postgres", "drop database if exists " + name + "_" + purpose + " with (force)");
    }

    /** The single number a query answers, on any database of the run (such as a scratch one). */
    public static long count(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    public String url() {
        return serverUrl + name;
    }

    public String name() {
        return name;
    }

    /** A connection as the superuser, for tests that go behind the service's back. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), "postgres", "");
    }

    private void drop() {
        try {
            execute(serverUrl + "postgres", "drop database if exists " + name + " with (force)");
        } finally {
            if (embedded != null) {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the run is over either way
                }
            }
        }
    }
}
