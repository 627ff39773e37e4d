package org.auditlog.auth;

import io.dropwizard.auth.Authenticator;
import java.util.Optional;
import org.auditlog.access.Caller;

final class ApiKeyAuthenticator implements Authenticator<String, Caller> {
    private final ApiKeyService keys;

    ApiKeyAuthenticator(ApiKeyService keys) {
        this.keys = keys;
    }

    @Override
    public Optional<Caller> authenticate(String credentials) {
        return keys.authenticate(credentials);
    }
}
