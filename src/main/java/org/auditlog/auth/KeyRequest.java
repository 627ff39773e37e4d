package org.auditlog.auth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.auditlog.access.Role;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.RequestBodies;

/** A key to create: a name that says what it is for, and at least one role. */
public record KeyRequest(String name, Set<Role> roles) {
    public KeyRequest {
        requireNonNull(name, "name is null");
        roles = Set.copyOf(roles);
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("roles is empty");
        }
    }

    /** From a request body {@code {"name": ..., "roles": [...]}}; every problem is named. */
    public static KeyRequest parse(JsonNode body) {
        var request = RequestBodies.object(body, List.of("name", "roles"));
        return of(request.string("name"), request.strings("roles"));
    }

    /** From a name and role names as a client or the command line gave them; every problem is named. */
    public static KeyRequest of(String name, List<String> roleNames) {
        List<Problem> problems = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 128) {
            problems.add(new Problem("name", "must be 1 to 128 characters"));
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (roleNames == null || roleNames.isEmpty()) {
            problems.add(new Problem("roles", "must name at least one of ingest, auditor, admin"));
        } else {
            for (int i = 0; i < roleNames.size(); i++) {
                Optional<Role> role = Role.fromWire(roleNames.get(i));
                if (role.isEmpty()) {
                    problems.add(new Problem("roles[" + i + "]", "must be one of ingest, auditor, admin"));
                } else {
                    roles.add(role.get());
                }
            }
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return new KeyRequest(name, roles);
    }
}
