package org.auditlog.common;

import java.util.List;

/**
 * A request the service will not carry out, with the status that says why. Its message is shown to
 * the client, so it never holds internals or secrets.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final List<Problem> details;

    public ApiException(int status, String message, List<Problem> details) {
        super(message, null, false, false);
        this.status = status;
        this.details = List.copyOf(details);
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

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found");
    }

    public int status() {
        return status;
    }

    public List<Problem> details() {
        return details;
    }
}
