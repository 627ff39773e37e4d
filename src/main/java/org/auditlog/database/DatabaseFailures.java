package org.auditlog.database;

import java.sql.SQLException;
import java.util.function.Predicate;
import org.auditlog.common.Rejection;
import org.jdbi.v3.core.ConnectionException;

/** What a failure says about the database, from the exception or any of its causes. */
public final class DatabaseFailures {
    private DatabaseFailures() {
    }

    /**
     * The database cannot be reached or is going away (SQLState classes 08 and 57P, no connection
     * from the pool), or the service has said it cannot answer now: worth retrying, not a fault of
     * the request.
     */
    public static boolean isUnavailable(Throwable exception) {
        return anyCause(exception, cause -> cause instanceof ConnectionException
                || (cause instanceof Rejection rejection && rejection.kind() == Rejection.Kind.UNAVAILABLE)
                || (cause instanceof SQLException sql && sql.getSQLState() != null
                        && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))));
    }

    /** PostgreSQL cancelled the statement (SQLState 57014): the statement timeout of a read, or an operator. */
    public static boolean isStatementCancelled(Throwable exception) {
        return anyCause(exception, cause -> cause instanceof SQLException sql && "57014".equals(sql.getSQLState()));
    }

    /**
     * A hot standby cancelled the statement because replaying the primary's changes needed what it
     * read (SQLState 40001, "conflict with recovery"): the same read may succeed on the primary.
     */
    public static boolean isRecoveryConflict(Throwable exception) {
        return anyCause(exception, cause -> cause instanceof SQLException sql && "40001".equals(sql.getSQLState()));
    }

    /** A row that no partition of {@code audit_events} holds (SQLState 23514, "no partition of relation … found for row"). */
    public static boolean isMissingPartition(Throwable exception) {
        return anyCause(exception, cause -> cause instanceof SQLException sql && "23514".equals(sql.getSQLState())
                && String.valueOf(sql.getMessage()).contains("no partition"));
    }

    /** Whether the exception or one of its causes is such; a cause that is its own cause ends the walk. */
    private static boolean anyCause(Throwable exception, Predicate<Throwable> test) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (test.test(cause)) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    /**
     * Why a background job (an export, a report) failed, as its status tells the client: the database,
     * the file, or neither, never the exception's own text. {@code what} names it: "the export".
     */
    public static String describe(Exception e, String what) {
        if (isUnavailable(e)) {
            return "the database was unavailable";
        }
        if (e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException) {
            return what + " file could not be written";
        }
        return what + " failed";
    }
}
