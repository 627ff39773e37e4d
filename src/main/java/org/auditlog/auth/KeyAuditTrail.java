package org.auditlog.auth;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.auditlog.access.Requester;
import org.auditlog.event.Resource;
import org.auditlog.trail.AuditTrail;

/** Records key changes as {@code admin} events in the tenant's own log, the acting key as actor. */
public final class KeyAuditTrail implements ApiKeyService.KeyChangeListener {
    private final AuditTrail trail;

    public KeyAuditTrail(AuditTrail trail) {
        this.trail = trail;
    }

    @Override
    public void created(Requester requester, ApiKey key) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        key.roles().forEach(metadata.putArray("roles")::add);
        trail.record(requester.tenant(), "admin", "api_key.created", requester.actor(),
                new Resource("api_key", key.id().toString(), key.name()), metadata);
    }

    @Override
    public void revoked(Requester requester, ApiKey key) {
        trail.record(requester.tenant(), "admin", "api_key.revoked", requester.actor(),
                new Resource("api_key", key.id().toString(), key.name()), null);
    }
}
