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
 * login, used by hand, can neither rewrite nor remove the evidence nor switch off its triggers, nor
 * record a partition as retired, nor reach a partition of the events other than through audit_events.
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
        Database.migrate(TestDatabase.owner(url));
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
    void theRuntimeLoginCannotRecordARetiredPartitionNorWriteDetachOrDropAPartition() throws Exception {
        // a member of audit_runtime, as the service makes it on starting; taken back after, for the test that starts it
        try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
            RuntimeRole.admit(connection, LOGIN);
        }
        List<String> partitions;
        try (Connection runtime = DriverManager.getConnection(url, LOGIN, PASSWORD)) {
            // the runtime login may make sure a partition holds now: one made after the grants ran
            String partition = texts(runtime, "select audit_events_partition_for(now(), 'month')").get(0);
            partitions = texts(runtime, "select name from audit_event_partitions order by name");
            assertThat(partitions).as("the partitions of audit_events").contains(partition);

            // retired_partitions is evidence it may read: a row there has the owner drop the partition
            assertThat(texts(runtime, "select name from retired_partitions")).isEmpty();
            assertRefused(runtime, "insert into retired_partitions (name, from_at, to_at, retired_at) values ('"
                    + partition + "', '-infinity', now(), now())", NO_PRIVILEGE,
                    "a partition recorded as retired is dropped without the receipts of its events");
            assertRefused(runtime, "update retired_partitions set retired_at = now()", NO_PRIVILEGE,
                    "the record of a retirement is rewritten");
            assertRefused(runtime, "delete from retired_partitions", NO_PRIVILEGE,
                    "a retired partition is forgotten, and its events look lost");

            // a partition is reached through audit_events only, whose triggers and grants guard the events
            texts(runtime, "select count(*)::text from audit_events");
            for (String name : partitions) {
                assertRefused(runtime, "insert into " + name + " select * from audit_events where false", NO_PRIVILEGE,
                        "events forged into a partition, past audit_events");
                assertRefused(runtime, "update " + name + " set reason = 'rewritten'", NO_PRIVILEGE,
                        "events rewritten in a partition, past audit_events");
                assertRefused(runtime, "delete from " + name, NO_PRIVILEGE,
                        "events removed without a retention receipt");
                assertRefused(runtime, "truncate " + name, NO_PRIVILEGE,
                        "a partition's events removed without a retention receipt");
                assertRefused(runtime, "select count(*) from " + name, NO_PRIVILEGE,
                        "migration 012 revokes all on the partitions");
            }
            // but it may count a tenant's events in one through the database's function, which reads
            // nothing of a table that is not a partition of audit_events
            assertThat(texts(runtime, "select audit_events_partition_count('" + partition + "', 'nobody')::text"))
                    .containsExactly("0");
            assertThat(texts(runtime, "select coalesce(audit_events_partition_count('api_keys', 'nobody')::text, 'none')"))
                    .containsExactly("none");
            assertRefused(runtime, "alter table audit_events detach partition " + partition, "must be owner of table",
                    "a detached partition's events leave the log without a retention receipt");
            assertRefused(runtime, "drop table " + partition, "must be owner of table",
                    "a dropped partition's events are gone without a retention receipt");
        } finally {
            superuser(url, "revoke " + RuntimeRole.NAME + " from " + LOGIN);
        }
        assertThat(TestDatabase.count(url, "select count(*) from audit_event_partitions"))
                .as("no partition detached or dropped").isEqualTo(partitions.size());
        assertThat(TestDatabase.count(url, "select count(*) from retired_partitions")).isZero();
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
        assertRefused(connection, sql, why, null);
    }

    /** {@code sql} is refused with {@code why} in its message; {@code otherwise}, if given, is the harm were it not. */
    private static void assertRefused(Connection connection, String sql, String why, String otherwise) {
        String what = otherwise == null ? sql : sql + " (otherwise " + otherwise + ")";
        assertThatThrownBy(() -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        }).as(what).isInstanceOfSatisfying(SQLException.class, e -> {
            assertThat(e.getSQLState()).as(what + ": " + e.getMessage()).isEqualTo(PERMISSION_DENIED);
            assertThat(e.getMessage()).as(what).contains(why);
        });
    }

    private static List<String> logins(String databaseUrl) throws SQLException {
        String database = databaseUrl.substring(databaseUrl.lastIndexOf('/') + 1);
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "")) {
            return texts(connection, "select distinct usename from pg_stat_activity "
                    + "where datname = '" + database + "' and application_name = 'audit-service'");
        }
    }

    /** The first column of what a query answers, as text. */
    private static List<String> texts(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); var rows = statement.executeQuery(sql)) {
            var values = new java.util.ArrayList<String>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
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
