package org.auditlog.common;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A request the service will not carry out, with the status that says why. Its message is shown to
 * the client, so it never holds internals or secrets.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final List<Problem> details;
    private final Optional<Duration> retryAfter;

    public ApiException(int status, String message, List<Problem> details) {
        this(status, message, details, Optional.empty());
    }

    private ApiException(int status, String message, List<Problem> details, Optional<Duration> retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.details = List.copyOf(details);
        this.retryAfter = retryAfter;
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
    public static ApiException overLimit(String limit, int value, String what, Duration retryAfter) {
        return new ApiException(429, what + " (limits." + limit + " = " + value + "); retry later", List.of(),
                Optional.of(retryAfter));
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found");
    }

    /** 429: the tenant has as much of some work running as it may; the answer says when to try again. */
    public static ApiException tooMany(String message, Duration retryAfter) {
        return new ApiException(429, message, List.of(), Optional.of(retryAfter));
    }

    public int status() {
        return status;
    }

    public List<Problem> details() {
        return details;
    }

    /** When the client may try again, sent as {@code Retry-After} in whole seconds. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}
