package org.auditlog.common;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets the service keeps in files (the signing key, the embedded PostgreSQL's password): readable
 * by the owner only, and replaced in one step so a crash never leaves half a secret behind.
 */
public final class OwnerOnlyFiles {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);

    private OwnerOnlyFiles() {
    }

    /** Writes {@code text} to {@code file} (mode 0600) through a temporary file moved into place. */
    public static void write(Path file, String text) throws IOException {
        Path directory = requireNonNull(file.toAbsolutePath().getParent(), "file has no folder");
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            restrict(temporary, "rw-------");
            Files.writeString(temporary, text, StandardCharsets.US_ASCII);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Sets POSIX permissions such as {@code rwx------}; a file system without them gets a warning. */
    public static void restrict(Path path, String permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (UnsupportedOperationException e) {
            LOG.warn("cannot restrict permissions of {} on this file system", path);
        }
    }

    /** Deletes a file if it is there (a job's partial file); a failure is logged, not thrown. */
    public static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            java.nio.file.Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(OwnerOnlyFiles.class).warn("could not delete {}: {}", file, e.toString());
        }
    }
}
