package org.auditlog.access;

import static java.util.Objects.requireNonNull;

import java.security.Principal;
import java.util.Set;
import java.util.UUID;
import org.auditlog.event.Actor;

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

    /** The key as the services see it: its tenant, itself as the actor of what it causes, and its reference. */
    public Requester requester() {
        return new Requester(tenant, new Actor(keyId.toString(), "api_key", keyName, null), "key:" + keyId);
    }

    public boolean may(Role role) {
        return roles.contains(Role.ADMIN) || roles.contains(role);
    }
}
