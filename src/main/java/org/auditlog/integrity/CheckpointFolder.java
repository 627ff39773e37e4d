package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Signed checkpoints as files an auditor can check with OpenSSL alone:
 * {@code <folder>/<tenant>/<seq, 20 digits>.json} (the checkpoint as the API shows it), {@code .statement}
 * (the signed bytes) and {@code .sig} (the raw 64-byte Ed25519 signature). A file is written once: one
 * already there with other contents is left as it is and reported, as the history it holds was rewritten.
 */
public final class CheckpointFolder {
    private final Path folder;
    private final ObjectMapper mapper;

    /** A published file holds other contents than the checkpoint the database now holds at that seq. */
    public static final class RewrittenException extends IOException {
        private static final long serialVersionUID = 1L;

        RewrittenException(Path file) {
            super(file + " is already published with other contents: the checkpoint in the database was rewritten");
        }
    }

    public CheckpointFolder(Path folder, ObjectMapper mapper) {
        this.folder = requireNonNull(folder, "folder is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /** {@code integrity.publishDir}, or {@code <dataDir>/checkpoints} when it is empty. */
    public static Path folder(String configured, Path dataDir) {
        return configured != null && !configured.isBlank() ? Path.of(configured) : dataDir.resolve("checkpoints");
    }

    public Path folder() {
        return folder;
    }

    /**
     * A tenant's folder name: the tenant with every character outside {@code [A-Za-z0-9._-]}
     * percent-encoded (UTF-8), so no name reaches outside the folder; {@code .} and {@code ..} are refused.
     */
    public static String folderName(String tenant) {
        if (tenant.isEmpty() || tenant.equals(".") || tenant.equals("..")) {
            throw new IllegalArgumentException("tenant \"" + tenant + "\" cannot name a folder");
        }
        StringBuilder name = new StringBuilder(tenant.length());
        for (byte b : tenant.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
                    || c == '-') {
                name.append(c);
            } else {
                name.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return name.toString();
    }

    /** The path of a checkpoint's file without its extension: {@code <folder>/<tenant>/<seq, 20 digits>}. */
    public Path base(String tenant, long seq) {
        return folder.resolve(folderName(tenant)).resolve(String.format("%020d", seq));
    }

    /** Whether the checkpoint's {@code .json}, written last, is there. */
    public boolean isPublished(Checkpoint checkpoint) {
        return Files.exists(file(checkpoint, ".json"));
    }

    /**
     * Writes the three files, each atomically (a temporary file moved into place), the {@code .json}
     * last; files already there with the same contents are kept as they are.
     *
     * @throws RewrittenException a file is there with other contents (it is not replaced)
     */
    public void write(Checkpoint checkpoint) throws IOException {
        byte[] json = json(checkpoint);
        Path directory = base(checkpoint.tenant(), checkpoint.seq()).getParent();
        Files.createDirectories(directory);
        writeOnce(file(checkpoint, ".statement"), checkpoint.statement());
        writeOnce(file(checkpoint, ".sig"), checkpoint.signatureBytes());
        writeOnce(file(checkpoint, ".json"), json);
    }

    /** The checkpoint's JSON as the API shows it: the {@code .json} file's contents. */
    public byte[] json(Checkpoint checkpoint) {
        try {
            return mapper.writeValueAsBytes(checkpoint);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path file(Checkpoint checkpoint, String extension) {
        Path base = base(checkpoint.tenant(), checkpoint.seq());
        return base.resolveSibling(base.getFileName() + extension);
    }

    private static void writeOnce(Path file, byte[] contents) throws IOException {
        if (Files.exists(file)) {
            if (!Arrays.equals(Files.readAllBytes(file), contents)) {
                throw new RewrittenException(file);
            }
            return;
        }
        Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(contents));
                channel.force(true);
            }
            // two instances publishing the same stored checkpoint write the same bytes, so either move may win
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
