package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged service with a runtime login of its own (AUDIT_DB_RUNTIME_USER): it works, and that
 * login, used by hand, can neither rewrite nor remove the evidence nor switch off its triggers.
 */
class RuntimeRoleIT {
    private static final String PURPOSE = "runtimerole";
    /** Roles belong to the whole server: a name of this run's own, dropped at the end. */
    private static final String LOGIN = "audit_rt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String PERMISSION_DENIED = "42501";
    /** The privilege check's refusal, not the append-only trigger's (which answers 42501 too). */
    private static final String NO_PRIVILEGE = "permission denied for table";

    private static String url;

    @BeforeAll
    static void createLogin() throws Exception {
        url = TestDatabase.get().scratch(PURPOSE);
        superuser(url, "create role " + LOGIN + " login password '" + PASSWORD + "'");
    }

    @AfterAll
    static void dropLogin() throws Exception {
        try {
            // its membership of audit_runtime goes with it; audit_runtime itself stays (other databases use it)
            superuser(url, "drop owned by " + LOGIN, "drop role if exists " + LOGIN);
        } finally {
            TestDatabase.get().dropScratch(PURPOSE);
        }
    }

    @Test
    void theRuntimeLoginAppendsEventsButCannotRewriteOrRemoveTheEvidence() throws Exception {
        String tenant = TestApp.newTenant("runtime");
        Jdbi owner = Database.configure(Jdbi.create(url, "postgres", ""));
        DatabaseConfiguration migrations = new DatabaseConfiguration();
        migrations.setUrl(url);
        migrations.setUser("postgres");
        migrations.setPassword("");
        Database.migrate(migrations);
        String key = TestApp.createKey(owner, tenant, "ingest", "auditor");
        Path data = Files.createTempDirectory(PURPOSE);
        try (var service = ServiceProcess.start(PURPOSE, url, data,
                Map.of("AUDIT_DB_RUNTIME_USER", LOGIN, "AUDIT_DB_RUNTIME_PASSWORD", PASSWORD))) {
            var reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/api/v1/events"))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\": \"user.login\", \"actor\": {\"id\": \"ann\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(201);
            assertThat(logins(url)).as("who the service's connections logged in as").containsExactly(LOGIN);
            assertThat(service.log()).doesNotContain(PASSWORD);
        }
        long events = TestDatabase.count(url, "select count(*) from audit_events where tenant = '" + tenant + "'");
        assertThat(events).as("the event and the key's creation").isGreaterThanOrEqualTo(2);

        try (Connection runtime = DriverManager.getConnection(url, LOGIN, PASSWORD)) {
            assertRefused(runtime, "delete from audit_events", NO_PRIVILEGE);
            runtime.setAutoCommit(false);
            try (Statement statement = runtime.createStatement()) {
                statement.execute("select set_config('audit.retention', 'on', true)");
                assertThatThrownBy(() -> statement.execute("delete from audit_events where tenant = '" + tenant + "'"))
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo(PERMISSION_DENIED);
                            assertThat(e.getMessage()).contains(NO_PRIVILEGE);
                        });
            } finally {
                runtime.rollback();
                runtime.setAutoCommit(true);
            }
            assertRefused(runtime, "update audit_events set reason = 'rewritten'", NO_PRIVILEGE);
            assertRefused(runtime, "update checkpoints set signature = signature", NO_PRIVILEGE);
            assertRefused(runtime, "delete from signing_keys", NO_PRIVILEGE);
            assertRefused(runtime, "update signing_keys set public_key = public_key", NO_PRIVILEGE);
            assertRefused(runtime, "alter table audit_events disable trigger all", "must be owner of table");
            assertRefused(runtime, "truncate audit_events", NO_PRIVILEGE);
            assertRefused(runtime, "delete from chain_links", NO_PRIVILEGE);
            assertRefused(runtime, "insert into chain_anchors (tenant, seq, hash, updated_at) "
                    + "values ('" + tenant + "', 1, '\\x00', now())", NO_PRIVILEGE);
            assertRefused(runtime, "select * from databasechangelog", NO_PRIVILEGE);
        }
        assertThat(TestDatabase.count(url, "select count(*) from audit_events where tenant = '" + tenant + "'"))
                .isEqualTo(events);
    }

    @Test
    void aRuntimeLoginThatDoesNotExistStopsTheStartNamingWhatToRun() throws Exception {
        String missing = LOGIN + "_missing";
        var finished = ServiceProcess.runToEnd(url, Files.createTempDirectory(PURPOSE),
                Map.of("AUDIT_DB_RUNTIME_USER", missing, "AUDIT_DB_RUNTIME_PASSWORD", PASSWORD));
        assertThat(finished.exitCode()).isNotZero();
        assertThat(finished.output()).contains("AUDIT_DB_RUNTIME_USER", "CREATE ROLE " + missing,
                "grant audit_runtime to " + missing).doesNotContain(PASSWORD);
    }

    private static void assertRefused(Connection connection, String sql, String why) {
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(sql + ": " + e.getMessage()).isEqualTo(PERMISSION_DENIED);
            assertThat(e.getMessage()).as(sql).contains(why);
        });
    }

    private static List<String> logins(String databaseUrl) throws SQLException {
        String database = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "");
             var query = connection.prepareStatement("select distinct usename from pg_stat_activity "
                     + "where datname = ? and application_name = 'audit-service'")) {
            query.setString(1, database);
            try (var rows = query.executeQuery()) {
                var names = new java.util.ArrayList<String>();
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
                return names;
            }
        }
    }

    private static void superuser(String databaseUrl, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
