package org.auditlog.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.auditlog.common.OwnerOnlyFiles;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the service runs on when no {@code database.url} is given: real PostgreSQL binaries
 * shipped in the jar, with the data kept under {@code <dataDir>/postgres} so it survives restarts.
 *
 * <p>One process owns the server (it holds {@code postgres.lock}); a second process on the same data
 * directory, such as {@code create-key} next to a running server, connects to the owner's server
 * through the port it wrote to {@code postgres.port}.
 *
 * <p>Every connection, over TCP or the local socket, needs the superuser's password (SCRAM-SHA-256),
 * generated at the first start and kept in {@code postgres.password} (owner-only). A data directory
 * from a release that ran the server without a password gets one at its next start.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String SUPERUSER = "postgres";
    public static final String PASSWORD_FILE = "postgres.password";
    private static final String PORT_FILE = "postgres.port";

    /** The access rules while the superuser is given its password: that connection only, over TCP. */
    private static final String UNTIL_PASSWORD_SET = """
            # audit-service is giving the superuser its password; nothing else may connect meanwhile.
            host  all  postgres  127.0.0.1/32  trust
            """;
    private static final String PASSWORD_REQUIRED = """
            # Written by audit-service at every start of its embedded PostgreSQL: every connection needs
            # a password; the superuser's is kept in <dataDir>/postgres.password.
            local  all          all                 scram-sha-256
            host   all          all   127.0.0.1/32  scram-sha-256
            host   all          all   ::1/128       scram-sha-256
            local  replication  all                 scram-sha-256
            host   replication  all   127.0.0.1/32  scram-sha-256
            host   replication  all   ::1/128       scram-sha-256
            """;
    private static final Duration RULES_RELOAD_WAIT = Duration.ofSeconds(10);

    /** The lock files this JVM holds: a second start here joins instead of reopening the file. */
    private static final Set<Path> OWNED_HERE = ConcurrentHashMap.newKeySet();

    private final EmbeddedPostgres server;
    private final Path lockFile;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final int port;
    private final String password;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedDatabase(EmbeddedPostgres server, Path lockFile, FileChannel lockChannel, FileLock lock, int port,
            String password) {
        this.server = server;
        this.lockFile = lockFile;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.port = port;
        this.password = password;
    }

    public static EmbeddedDatabase startOrJoin(Path dataDir, int wantedPort) {
        EmbeddedBinaries.requireForThisMachine();
        try {
            Files.createDirectories(dataDir);
            Path lockFile = dataDir.resolve("postgres.lock").toAbsolutePath().normalize();
            FileChannel channel;
            FileLock lock;
            synchronized (OWNED_HERE) {
                // a second channel on the lock file, once closed, would drop this JVM's lock (POSIX locks)
                channel = OWNED_HERE.contains(lockFile) ? null
                        : FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock = channel == null ? null : channel.tryLock();
                if (lock != null) {
                    OWNED_HERE.add(lockFile);
                }
            }
            if (lock == null) {
                if (channel != null) {
                    channel.close();
                }
                return join(dataDir);
            }
            try {
                return start(dataDir, wantedPort, lockFile, channel, lock);
            } catch (IOException | RuntimeException e) {
                lock.release();
                channel.close();
                OWNED_HERE.remove(lockFile);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL under " + dataDir, e);
        }
    }

    private static EmbeddedDatabase join(Path dataDir) throws IOException {
        int port = Integer.parseInt(Files.readString(dataDir.resolve(PORT_FILE), StandardCharsets.US_ASCII).trim());
        LOG.info("using the embedded PostgreSQL another process runs on port {}", port);
        // no file: the server was started by an earlier release, which asked for no password
        String password = readPassword(dataDir.resolve(PASSWORD_FILE)).orElse("");
        return new EmbeddedDatabase(null, null, null, null, port, password);
    }

    private static EmbeddedDatabase start(Path dataDir, int wantedPort, Path lockFile, FileChannel channel,
            FileLock lock) throws IOException {
        Path pgData = dataDir.resolve("postgres");
        Files.createDirectories(pgData);
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        Optional<String> stored = readPassword(passwordFile);
        var builder = EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "200")
                .setServerConfig("password_encryption", "scram-sha-256")
                // runs before the server starts, on a fresh data directory just after initdb too
                .setDataDirectoryCustomizer(directory -> writeAccessRules(directory.toPath(),
                        stored.isPresent() ? PASSWORD_REQUIRED : UNTIL_PASSWORD_SET));
        // zonky connects to see the server ready, and for getPostgresDatabase()
        stored.ifPresent(password -> builder.setConnectConfig("password", password));
        if (wantedPort > 0) {
            builder.setPort(wantedPort);
        }
        EmbeddedPostgres server = builder.start();
        try {
            String password = stored.isPresent() ? stored.get() : setPassword(server, pgData, passwordFile);
            Files.writeString(dataDir.resolve(PORT_FILE), Integer.toString(server.getPort()), StandardCharsets.US_ASCII);
            LOG.info("embedded PostgreSQL started on port {} with data in {}", server.getPort(), pgData);
            return new EmbeddedDatabase(server, lockFile, channel, lock, server.getPort(), password);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /**
     * Gives the superuser a new password (hashed by the driver, so the server never sees it in the
     * clear), keeps it in {@code passwordFile}, then requires a password of every connection and
     * ends any other session that came in before.
     */
    private static String setPassword(EmbeddedPostgres server, Path pgData, Path passwordFile) throws IOException {
        String password = generatePassword();
        try (Connection connection = server.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            connection.unwrap(PGConnection.class).alterUserPassword(SUPERUSER, password.toCharArray(), "scram-sha-256");
            OwnerOnlyFiles.write(passwordFile, password + "\n");
            writeAccessRules(pgData, PASSWORD_REQUIRED);
            statement.execute("select pg_reload_conf()");
            awaitPasswordRequired(server.getPort());
            statement.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                    + " where backend_type = 'client backend' and pid <> pg_backend_pid()");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot give the embedded PostgreSQL's superuser a password", e);
        }
        LOG.info("the embedded PostgreSQL's superuser now needs the password kept in {}", passwordFile);
        return password;
    }

    /** The server reads its new access rules a moment after being told to: wait until it refuses. */
    private static void awaitPasswordRequired(int port) {
        long deadline = System.nanoTime() + RULES_RELOAD_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection ignored = DriverManager.getConnection(url(port), SUPERUSER, "")) {
                Thread.sleep(50);
            } catch (SQLException e) {
                String state = e.getSQLState() == null ? "" : e.getSQLState();
                // 28xxx: authentication failed; 08004: the driver has no password to answer with
                if (state.startsWith("28") || state.equals("08004")) {
                    return;
                }
                throw new IllegalStateException("the embedded PostgreSQL stopped answering", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the embedded PostgreSQL reloaded", e);
            }
        }
        throw new IllegalStateException("the embedded PostgreSQL still takes connections without a password after "
                + RULES_RELOAD_WAIT.toSeconds() + "s");
    }

    private static void writeAccessRules(Path pgData, String rules) {
        try {
            OwnerOnlyFiles.write(pgData.resolve("pg_hba.conf"), rules);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the access rules of " + pgData, e);
        }
    }

    private static Optional<String> readPassword(Path passwordFile) throws IOException {
        if (!Files.exists(passwordFile)) {
            return Optional.empty();
        }
        String password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip();
        if (password.isEmpty()) {
            throw new IllegalStateException(passwordFile + " is empty: delete it to have a new password"
                    + " generated at the next start of the embedded PostgreSQL");
        }
        return Optional.of(password);
    }

    private static String generatePassword() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String jdbcUrl() {
        return url(port);
    }

    /** The password of {@link #SUPERUSER}. */
    public String password() {
        return password;
    }

    @Override
    public String toString() {
        return "EmbeddedDatabase[" + jdbcUrl() + "]";
    }

    @Override
    public void close() {
        if (server == null || !closed.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
            lock.release();
            lockChannel.close();
            OWNED_HERE.remove(lockFile);
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
        }
    }
}
