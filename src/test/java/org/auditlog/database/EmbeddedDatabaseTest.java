package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * With no database URL the service runs real PostgreSQL binaries whose data survives a restart, and
 * which let in only who knows the password kept beside the data.
 */
class EmbeddedDatabaseTest {
    private static final String USER = EmbeddedDatabase.SUPERUSER;

    @Test
    void keepsDataAcrossRestartsAndLetsASecondProcessJoin() throws Exception {
        Path dataDir = Files.createTempDirectory("embedded-pg");
        try (EmbeddedDatabase first = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
            execute(first, "create table kept (v text); insert into kept values ('survives')");
            try (EmbeddedDatabase joined = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
                assertThat(joined.jdbcUrl()).isEqualTo(first.jdbcUrl());
                assertThat(joined.password()).isEqualTo(first.password());
                assertThat(query(joined, "select v from kept")).isEqualTo("survives");
            }
            assertThat(joinFromAnotherProcess(dataDir, "select v from kept")).isEqualTo("survives");
            assertThat(query(first, "select version()")).startsWith("PostgreSQL");
        }
        String password = Files.readString(dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE)).strip();
        try (EmbeddedDatabase again = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
            assertThat(again.password()).isEqualTo(password);
            assertThat(query(again, "select v from kept")).isEqualTo("survives");
            assertThat(joinFromAnotherProcess(dataDir, "select v from kept")).isEqualTo("survives");
        }
    }

    @Test
    void keepsAStrongPasswordInAFileOnlyItsOwnerReads() throws Exception {
        Path dataDir = Files.createTempDirectory("embedded-pg");
        try (EmbeddedDatabase database = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
            Path file = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file).strip()).isEqualTo(database.password()).matches("[A-Za-z0-9_-]{43}");
            assertThat(query(database.jdbcUrl(), database.password(), "select rolpassword from pg_authid"
                    + " where rolname = 'postgres'")).startsWith("SCRAM-SHA-256$");
        }
        try (EmbeddedDatabase otherDataDir = EmbeddedDatabase.startOrJoin(Files.createTempDirectory("embedded-pg"), 0)) {
            assertThat(otherDataDir.password()).isNotEqualTo(Files.readString(
                    dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE)).strip());
        }
    }

    @Test
    void refusesConnectionsWithoutThePasswordOverTcpAndTheSocket() throws Exception {
        Path dataDir = Files.createTempDirectory("embedded-pg");
        try (EmbeddedDatabase database = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
            List<String> urls = new ArrayList<>(List.of(database.jdbcUrl()));
            urls.addAll(socketUrls(database));
            assertThat(urls).as("TCP and every socket the server listens on").hasSizeGreaterThan(1);
            for (String url : urls) {
                assertRefused(url, "");
                assertRefused(url, "not-" + database.password());
                assertThat(query(url, database.password(), "select current_user")).isEqualTo(USER);
            }
        }
    }

    @Test
    void givesADataDirectoryFromTheReleaseWithoutPasswordsOneAtItsNextStart() throws Exception {
        Path dataDir = Files.createTempDirectory("embedded-pg");
        EmbeddedPostgres earlierRelease = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        String earlierUrl = "jdbc:postgresql://127.0.0.1:" + earlierRelease.getPort() + "/postgres";
        execute(earlierUrl, "", "create table kept (v text); insert into kept values ('from before')");
        earlierRelease.close();
        assertThat(dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE)).doesNotExist();

        try (EmbeddedDatabase upgraded = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
            assertThat(dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE)).exists();
            assertRefused(upgraded.jdbcUrl(), "");
            for (String socket : socketUrls(upgraded)) {
                assertRefused(socket, "");
            }
            assertThat(query(upgraded, "select v from kept")).isEqualTo("from before");
        }
        try (EmbeddedDatabase restarted = EmbeddedDatabase.startOrJoin(dataDir, 0)) {
            assertRefused(restarted.jdbcUrl(), "");
            assertThat(query(restarted, "select v from kept")).isEqualTo("from before");
        }
    }

    private static void assertRefused(String url, String password) {
        assertThatThrownBy(() -> DriverManager.getConnection(url, USER, password).close())
                .as("connecting to %s with %s", url, password.isEmpty() ? "no password" : "a wrong password")
                .isInstanceOf(SQLException.class)
                .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isIn("28P01", "08004"));
    }

    /** A driver URL for each Unix-domain socket the server has opened. */
    private static List<String> socketUrls(EmbeddedDatabase database) throws Exception {
        String port = database.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1");
        String directories = query(database, "show unix_socket_directories");
        List<String> urls = new ArrayList<>();
        for (String directory : Arrays.stream(directories.split(",")).map(String::strip).filter(d -> !d.isEmpty()).toList()) {
            Path socket = Path.of(directory, ".s.PGSQL." + port);
            assertThat(socket).as("socket of %s", directory).exists();
            urls.add("jdbc:postgresql://localhost/postgres?sslmode=disable&gssEncMode=disable"
                    + "&socketFactory=" + UnixSocketFactory.class.getName() + "&socketFactoryArg=" + socket);
        }
        return urls;
    }

    /** Runs {@link Joiner} in a JVM of its own, as {@code create-key} beside a running server would. */
    private static String joinFromAnotherProcess(Path dataDir, String sql) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Joiner.class.getName(), dataDir.toString(), sql)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** A second process on the data directory: joins the running server and prints one value. */
    public static final class Joiner {
        public static void main(String[] arguments) throws Exception {
            try (EmbeddedDatabase joined = EmbeddedDatabase.startOrJoin(Path.of(arguments[0]), 0)) {
                System.out.println(query(joined, arguments[1]));
            }
        }
    }

    private static void execute(EmbeddedDatabase database, String sql) throws Exception {
        execute(database.jdbcUrl(), database.password(), sql);
    }

    private static void execute(String url, String password, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, USER, password); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String query(EmbeddedDatabase database, String sql) throws Exception {
        return query(database.jdbcUrl(), database.password(), sql);
    }

    private static String query(String url, String password, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, USER, password);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
