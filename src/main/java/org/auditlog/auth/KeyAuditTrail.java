package org.auditlog.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.auditlog.access.Caller;
import org.auditlog.event.Actor;
import org.auditlog.event.Resource;
import org.auditlog.trail.AuditTrail;

/** Records key changes as {@code admin} events in the tenant's own log, the acting key as actor. */
public final class KeyAuditTrail implements ApiKeyService.KeyChangeListener {
    private final AuditTrail trail;

    public KeyAuditTrail(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void created(String tenant, String actorType, String actorId, String actorName, ApiKey key) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        key.roles().forEach(metadata.putArray("roles")::add);
        trail.record(tenant, "admin", "api_key.created", new Actor(actorId, actorType, actorName, null),
                new Resource("api_key", key.id().toString(), key.name()), metadata);
    }

    @Override
    public void revoked(String tenant, Caller caller, ApiKey key) {
        trail.record(tenant, "admin", "api_key.revoked", caller.asActor(),
                new Resource("api_key", key.id().toString(), key.name()), null);
    }
}
