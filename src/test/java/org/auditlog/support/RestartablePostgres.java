package org.auditlog.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A PostgreSQL server of one test's own, on a fixed port and data directory, that can be stopped
 * and started again: a real server restart that keeps the data, without touching the server the
 * other tests share. {@link #close} stops it and deletes its data.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** A new server on a free port and a new data directory, running. */
    public static RestartablePostgres start() throws IOException {
        int port = Ports.free();
        var postgres = new RestartablePostgres(Files.createTempDirectory("pg-restartable"), port);
        try {
            postgres.startAgain();
        } catch (IOException | RuntimeException e) {
            Folders.delete(postgres.dataDir);
            throw e;
        }
        return postgres;
    }

    /** Stops the server as an operator would ({@code pg_ctl stop -m fast}): sessions are ended, the data stays. */
    public synchronized void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again on the same port and data, and waits until it answers. */
    public synchronized void startAgain() throws IOException {
        if (server == null) {
            server = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        }
    }

    /** Creates a database on the server and answers its JDBC URL (user postgres, no password). */
    public String createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public void close() throws IOException {
        try {
            stop();
        } finally {
            Folders.delete(dataDir);
        }
    }
}
