package org.auditlog.access;

import static java.util.Objects.requireNonNull;

import java.security.Principal;
import java.util.Set;
import java.util.UUID;

/** The key a request was made with: its tenant bounds everything the request may see or write. */
public record Caller(UUID keyId, String tenant, String keyName, Set<Role> roles) implements Principal {
    public Caller {
        requireNonNull(keyId, "keyId is null");
        requireNonNull(tenant, "tenant is null");
        requireNonNull(keyName, "keyName is null");
        roles = Set.copyOf(roles);
    }

    @Override
    public String getName() {
        return keyName;
    }

    /** The key as the actor of the events it causes (admin changes, exports, queries). */
    public org.auditlog.event.Actor asActor() {
        return new org.auditlog.event.Actor(keyId.toString(), "api_key", keyName, null);
    }

    public boolean may(Role role) {
        return roles.contains(Role.ADMIN) || roles.contains(role);
    }
}
