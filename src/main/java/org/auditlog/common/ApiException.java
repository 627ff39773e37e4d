package org.auditlog.common;

import java.util.List;

/**
 * A request the service will not carry out, with the status that says why. Its message is shown to
 * the client, so it never holds internals or secrets.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final List<Problem> details;
    private final long retryAfterSeconds;

    public ApiException(int status, String message, List<Problem> details) {
        this(status, message, details, 0);
    }

    private ApiException(int status, String message, List<Problem> details, long retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.details = List.copyOf(details);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiException(int status, String message) {
        this(status, message, List.of());
    }

    public static ApiException invalid(List<Problem> problems) {
        return new ApiException(422, problems.size() == 1
                ? "invalid request: " + problems.get(0).field() + " " + problems.get(0).error()
                : "invalid request: " + problems.size() + " problems", problems);
    }

    public static ApiException badParameter(String parameter, String error) {
        return new ApiException(400, "bad parameter " + parameter + ": " + error, List.of(new Problem(parameter, error)));
    }

    /** 429: a per-tenant cap ({@code limits.<name>}) is reached; {@code Retry-After} says when to try again. */
    public static ApiException overLimit(String limit, int value, String what, long retryAfterSeconds) {
        return new ApiException(429, what + " (limits." + limit + " = " + value + "); retry later", List.of(),
                retryAfterSeconds);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found");
    }

    public int status() {
        return status;
    }

    public List<Problem> details() {
        return details;
    }

    /** Seconds for {@code Retry-After}; 0 for none. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
