package org.auditlog.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A primary PostgreSQL and a streaming replica of it ({@code pg_basebackup -R}), both of one test's
 * own, made with the machine's PostgreSQL 15 binaries on free ports in a temporary folder. The
 * server refuses to run as root: when the tests run as root, the folder is given to the
 * {@code postgres} user and the binaries run as that user. {@link #close} stops both servers and
 * deletes the folder.
 */
public final class StreamingReplica implements AutoCloseable {
    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private final Path folder;
    private final int primaryPort;
    private final int replicaPort;

    private StreamingReplica(Path folder, int primaryPort, int replicaPort) {
        this.folder = folder;
        this.primaryPort = primaryPort;
        this.replicaPort = replicaPort;
    }

    /** Makes and starts the primary, then the replica streaming from it. */
    public static StreamingReplica start() throws IOException, InterruptedException {
        StreamingReplica pair = new StreamingReplica(Files.createTempDirectory("pg-streaming"), Ports.free(), Ports.free());
        try {
            pair.make();
        } catch (IOException | InterruptedException | RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void make() throws IOException, InterruptedException {
        giveToPostgres(folder);
        Path primary = folder.resolve("primary");
        run(BIN.resolve("initdb").toString(), "-D", primary.toString(), "-U", "postgres", "--auth=trust",
                "--no-sync", "--no-instructions");
        settings(primary, primaryPort);
        Files.writeString(primary.resolve("pg_hba.conf"), "host replication all 127.0.0.1/32 trust\n",
                StandardOpenOption.APPEND);
        pgCtl("primary", "start");
        run(BIN.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primaryPort),
                "-U", "postgres", "-D", folder.resolve("replica").toString(), "-R", "-X", "stream");
        settings(folder.resolve("replica"), replicaPort);
        pgCtl("replica", "start");
    }

    /** Listens on loopback at {@code port}, its socket in the pair's folder, and never waits for the disk. */
    private void settings(Path data, int port) throws IOException {
        Files.writeString(data.resolve("postgresql.conf"), "\nport = " + port + "\nlisten_addresses = '127.0.0.1'\n"
                + "unix_socket_directories = '" + folder + "'\nfsync = off\nsynchronous_commit = off\n"
                + "full_page_writes = off\nshared_buffers = 32MB\n", StandardOpenOption.APPEND);
    }

    public String primaryUrl() {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/postgres";
    }

    public String replicaUrl() {
        return "jdbc:postgresql://127.0.0.1:" + replicaPort + "/postgres";
    }

    /** Stops applying what the replica receives, as an operator would to hold it back. */
    public void pauseReplay() {
        onReplica("select pg_wal_replay_pause()");
    }

    public void resumeReplay() {
        onReplica("select pg_wal_replay_resume()");
    }

    /** Stops the replica ({@code pg_ctl stop -m fast}). */
    public void stopReplica() throws IOException, InterruptedException {
        pgCtl("replica", "stop", "-m", "fast");
    }

    private void onReplica(String sql) {
        try (Connection connection = DriverManager.getConnection(replicaUrl(), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private void pgCtl(String server, String... action) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BIN.resolve("pg_ctl").toString(), "-D",
                folder.resolve(server).toString(), "-l", folder.resolve(server + ".log").toString(), "-w", "-t", "60"));
        command.addAll(List.of(action));
        run(command.toArray(String[]::new));
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void giveToPostgres(Path path) throws IOException, InterruptedException {
        if (root()) {
            exec(List.of("chown", "-R", "postgres:postgres", path.toString()));
        }
    }

    /** Runs a PostgreSQL binary, as {@code postgres} when the tests run as root, and fails with its output. */
    private static void run(String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(List.of(command));
        exec(full);
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() {
        for (String server : List.of("replica", "primary")) {
            if (Files.exists(folder.resolve(server).resolve("postmaster.pid"))) {
                try {
                    pgCtl(server, "stop", "-m", "immediate");
                } catch (IOException | InterruptedException | RuntimeException e) {
                    // deleting the folder below is all that is left to do
                }
            }
        }
        try {
            Folders.delete(folder);
        } catch (IOException e) {
            // a temporary folder: the machine clears it
        }
    }
}
