package org.auditlog.common;

import static java.util.Objects.requireNonNull;

/** One thing wrong with a request: the field (a JSON path such as {@code events[3].actor.id}) and why. */
public record Problem(String field, String error) {
    public Problem {
        requireNonNull(field, "field is null");
        requireNonNull(error, "error is null");
    }

    public Problem under(String prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        return new Problem(field.isEmpty() ? prefix : prefix + "." + field, error);
    }
}
