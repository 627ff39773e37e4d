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
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL the service runs on when no {@code database.url} is given: real PostgreSQL binaries
 * shipped in the jar, with the data kept under {@code <dataDir>/postgres} so it survives restarts.
 *
 * <p>One process owns the server (it holds {@code postgres.lock}); a second process on the same data
 * directory, such as {@code create-key} next to a running server, connects to the owner's server
 * through the port it wrote to {@code postgres.port}.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    private final EmbeddedPostgres server;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final int port;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private EmbeddedDatabase(EmbeddedPostgres server, FileChannel lockChannel, FileLock lock, int port) {
        this.server = server;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.port = port;
    }

    public static EmbeddedDatabase startOrJoin(Path dataDir, int wantedPort) {
        try {
            Files.createDirectories(dataDir);
            Path portFile = dataDir.resolve("postgres.port");
            FileChannel channel = FileChannel.open(dataDir.resolve("postgres.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                int port = Integer.parseInt(Files.readString(portFile, StandardCharsets.US_ASCII).trim());
                LOG.info("using the embedded PostgreSQL another process runs on port {}", port);
                return new EmbeddedDatabase(null, null, null, port);
            }
            Path pgData = dataDir.resolve("postgres");
            Files.createDirectories(pgData);
            var builder = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200");
            if (wantedPort > 0) {
                builder.setPort(wantedPort);
            }
            EmbeddedPostgres server = builder.start();
            Files.writeString(portFile, Integer.toString(server.getPort()), StandardCharsets.US_ASCII);
            LOG.info("embedded PostgreSQL started on port {} with data in {}", server.getPort(), pgData);
            return new EmbeddedDatabase(server, channel, lock, server.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL under " + dataDir, e);
        }
    }

    /** The lock, or null when another process (or this one, through another start) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
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
        } catch (IOException e) {
            LOG.warn("embedded PostgreSQL did not stop cleanly: {}", e.toString());
        }
    }
}
