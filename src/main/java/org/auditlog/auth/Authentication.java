package org.auditlog.auth;

import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.UnauthorizedHandler;
import io.dropwizard.core.setup.Environment;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.auditlog.access.Caller;
import org.auditlog.web.ErrorMappers;
import org.glassfish.jersey.server.filter.RolesAllowedDynamicFeature;

/**
 * Wires bearer API keys into Jersey: 401 for a missing, unknown or revoked key, 403 for a missing
 * role, 429 for an address that failed too often.
 */
public final class Authentication {
    private Authentication() {
    }

    /** Answers the check the console's sign-in uses: the same lookup and the same throttle as the header's. */
    public static KeyCheck register(Environment environment, ApiKeyService keys, AuthConfiguration configuration) {
        var failures = new FailedAuthentications(configuration.getFailedPerMinute(),
                environment.metrics().meter("auth.failed-throttled"));
        var addresses = new ClientAddresses(configuration.getTrustedProxies());
        environment.jersey().register(new AuthDynamicFeature(new BearerKeyFilter.Builder(addresses, failures)
                .setAuthenticator(new ApiKeyAuthenticator(keys))
                .setAuthorizer(new RoleAuthorizer())
                .setPrefix("Bearer")
                .setRealm("audit")
                .setUnauthorizedHandler(new JsonUnauthorizedHandler())
                .buildAuthFilter()));
        environment.jersey().register(RolesAllowedDynamicFeature.class);
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(Caller.class));
        return new KeyCheck(keys, addresses, failures);
    }

    static final class JsonUnauthorizedHandler implements UnauthorizedHandler {
        @Override
        public Response buildResponse(String prefix, String realm) {
            return Response.fromResponse(ErrorMappers.response(401,
                            "a valid API key is required: Authorization: Bearer <key>", List.of()))
                    .header("WWW-Authenticate", prefix + " realm=\"" + realm + "\"")
                    .build();
        }
    }
}
