package org.auditlog.database;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.config.JdbiConfig;
import org.jdbi.v3.core.extension.ExtensionCallback;

/**
 * How long one statement of a client's read (a query, a statistics request, a verification, a
 * list) may run before PostgreSQL cancels it ({@code query.statementTimeout}), kept in the JDBI
 * configuration so that every feature's reads find it. Only reads made through {@link #read} are
 * bounded: streamed and background exports, retention and ingest run as before. A cancelled read
 * answers 503 (see {@code ErrorMappers}).
 */
public final class ReadTimeout implements JdbiConfig<ReadTimeout> {
    private Duration limit = Duration.ofSeconds(30);

    public ReadTimeout() {
    }

    private ReadTimeout(ReadTimeout other) {
        this.limit = other.limit;
    }

    public Duration limit() {
        return limit;
    }

    public ReadTimeout setLimit(Duration limit) {
        requireNonNull(limit, "limit is null");
        if (limit.toMillis() < 1) {
            throw new IllegalArgumentException("the statement timeout must be at least 1 ms");
        }
        this.limit = limit;
        return this;
    }

    @Override
    public ReadTimeout createCopy() {
        return new ReadTimeout(this);
    }

    /**
     * Runs a client's read in a transaction whose statements each stop after the limit. The limit
     * is set with {@code SET LOCAL}, so it ends with the transaction and never stays on a pooled
     * connection for whatever uses it next.
     */
    public static <R, X extends Exception> R read(Jdbi jdbi, HandleCallback<R, X> callback) throws X {
        return jdbi.inTransaction(handle -> {
            long milliseconds = handle.getConfig(ReadTimeout.class).limit().toMillis();
            handle.attach(StatementTimeoutDao.class).limitThisTransaction(Long.toString(milliseconds));
            return callback.withHandle(handle);
        });
    }

    /** {@link #read} with one SQL object. */
    public static <R, E, X extends Exception> R read(Jdbi jdbi, Class<E> sqlObject, ExtensionCallback<R, E, X> callback)
            throws X {
        return read(jdbi, handle -> callback.withExtension(handle.attach(sqlObject)));
    }
}
