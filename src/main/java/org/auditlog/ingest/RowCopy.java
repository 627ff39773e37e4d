package org.auditlog.ingest;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;

/**
 * New rows appended with {@code COPY}, the way PostgreSQL takes many rows cheapest, sent in chunks of
 * about 64 KiB as the chain's writer adds them: PostgreSQL stores one chunk while the writer chains
 * the next, and no text the size of a whole commit is ever held. The {@code COPY} starts with the
 * first chunk, so a commit that only repeats stored events starts none. {@link #close} without
 * {@link #finish} cancels a {@code COPY} still open; the transaction it is part of then rolls back.
 */
final class RowCopy implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    private static final String SQL = "copy audit_events (" + EventRow.COLUMNS + ") from stdin (format csv)";
    private final CopyManager copyApi;
    private final StringBuilder chunk = new StringBuilder(CHUNK + 4096);
    private CopyIn copy;
    private long rows;

    private RowCopy(CopyManager copyApi) {
        this.copyApi = copyApi;
    }

    /** A {@code COPY} on the handle's connection, part of its transaction. */
    static RowCopy on(Handle handle) {
        try {
            return new RowCopy(handle.getConnection().unwrap(PGConnection.class).getCopyAPI());
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    void add(EventRow row) {
        row.appendCsv(chunk);
        rows++;
        if (chunk.length() >= CHUNK) {
            send();
        }
    }

    /** Sends what is left and ends the {@code COPY}; answers how many rows it stored. */
    long finish() {
        if (chunk.length() > 0) {
            send();
        }
        if (copy != null) {
            try {
                copy.endCopy();
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null);
            }
        }
        return rows;
    }

    private void send() {
        byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
        chunk.setLength(0);
        try {
            if (copy == null) {
                copy = copyApi.copyIn(SQL);
            }
            copy.writeToCopy(bytes, 0, bytes.length);
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        }
    }

    @Override
    public void close() {
        if (copy != null && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // the transaction rolls back whatever the server made of it
            }
        }
    }
}
