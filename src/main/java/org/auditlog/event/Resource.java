package org.auditlog.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What it was done to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resource(String type, String id, String name) {
    public Resource {
        requireNonNull(type, "type is null");
    }
}
