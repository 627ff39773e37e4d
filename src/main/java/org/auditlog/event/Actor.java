package org.auditlog.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Who did it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Actor(String id, String type, String name, String email) {
    public static final String DEFAULT_TYPE = "user";

    public Actor {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
    }
}
