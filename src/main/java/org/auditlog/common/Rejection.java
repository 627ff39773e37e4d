package org.auditlog.common;


import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Something the service will not do, of a {@link Kind} that says why; the web layer turns the kind
 * into a status code, in one place ({@code ErrorMappers}). Its message is shown to the client, so it
 * never holds internals or secrets.
 */
public class Rejection extends RuntimeException {
    /** Why the service will not do it. */
    public enum Kind {
        /** The request cannot be read: a body that is not JSON, a parameter of the wrong form. */
        MALFORMED,
        /** The request reads but asks for something the service does not accept; each problem names its field. */
        INVALID,
        NOT_FOUND,
        /** The thing is not in a state that allows it (an export not done yet, a run in progress). */
        CONFLICT,
        /** The thing existed and is gone for good (an expired export file). */
        GONE,
        TOO_LARGE,
        /** A limit is reached; {@link #retryAfter()} says when to try again. */
        TOO_MANY,
        /** The service cannot do it now (stopping, its database away); try again later. */
        UNAVAILABLE
    }

    private static final Duration SOON = Duration.ofSeconds(5);

    private final Kind kind;
    private final List<Problem> details;
    private final Optional<Duration> retryAfter;

    private Rejection(Kind kind, String message, List<Problem> details, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause, false, cause != null);
        this.kind = requireNonNull(kind, "kind is null");
        this.details = List.copyOf(details);
        this.retryAfter = retryAfter;
    }

    private Rejection(Kind kind, String message, List<Problem> details) {
        this(kind, message, details, Optional.empty(), null);
    }

    public static Rejection malformed(String message) {
        return new Rejection(Kind.MALFORMED, message, List.of());
    }

    /** Parameters of the wrong form, each problem naming its parameter. */
    public static Rejection malformed(List<Problem> problems) {
        return new Rejection(Kind.MALFORMED, problems.size() == 1
                ? "bad parameter " + problems.get(0).field() + ": " + problems.get(0).error()
                : "bad parameters: " + problems.size() + " problems", problems);
    }

    public static Rejection badParameter(String parameter, String error) {
        return malformed(List.of(new Problem(parameter, error)));
    }

    public static Rejection invalid(List<Problem> problems) {
        return new Rejection(Kind.INVALID, problems.size() == 1
                ? "invalid request: " + problems.get(0).field() + " " + problems.get(0).error()
                : "invalid request: " + problems.size() + " problems", problems);
    }

    public static Rejection notFound(String what) {
        return new Rejection(Kind.NOT_FOUND, what + " not found", List.of());
    }

    public static Rejection conflict(String message) {
        return new Rejection(Kind.CONFLICT, message, List.of());
    }

    public static Rejection gone(String message) {
        return new Rejection(Kind.GONE, message, List.of());
    }

    public static Rejection tooLarge(String message) {
        return new Rejection(Kind.TOO_LARGE, message, List.of());
    }

    /** A per-tenant cap ({@code limits.<name>}) is reached. */
    public static Rejection overLimit(String limit, int value, String what, Duration retryAfter) {
        return tooMany(what + " (limits." + limit + " = " + value + "); retry later", retryAfter);
    }

    /** The tenant has as much of some work running as it may. */
    public static Rejection tooMany(String message, Duration retryAfter) {
        return new Rejection(Kind.TOO_MANY, message, List.of(), Optional.of(retryAfter), null);
    }

    /** The service cannot do it now; {@code cause} (if any) is kept for the log, never shown. */
    public static Rejection unavailable(String message, Throwable cause) {
        return new Rejection(Kind.UNAVAILABLE, message, List.of(), Optional.of(SOON), cause);
    }

    public Kind kind() {
        return kind;
    }

    public List<Problem> details() {
        return details;
    }

    /** When the client may try again, sent as {@code Retry-After} in whole seconds. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
