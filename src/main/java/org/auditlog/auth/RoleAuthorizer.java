package org.auditlog.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;

final class RoleAuthorizer implements Authorizer<Caller> {
    @Override
    public boolean authorize(Caller caller, String role, ContainerRequestContext requestContext) {
        return Role.fromWire(role).map(caller::may).orElse(false);
    }
}
