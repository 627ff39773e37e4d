package org.auditlog.auth;

import io.dropwizard.auth.Authorizer;
import jakarta.ws.rs.container.ContainerRequestContext;

final class RoleAuthorizer implements Authorizer<Caller> {
    @Override
    public boolean authorize(Caller caller, String role, ContainerRequestContext requestContext) {
        return Role.fromWire(role).map(caller::may).orElse(false);
    }
}
