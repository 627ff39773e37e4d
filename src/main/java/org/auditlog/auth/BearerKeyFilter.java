package org.auditlog.auth;

import io.dropwizard.auth.AuthFilter;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Duration;
import org.auditlog.access.Caller;
import org.auditlog.common.Rejection;

/**
 * Reads the API key from the {@code Authorization: Bearer} header and nowhere else: a key in a
 * query string ends up in access logs, proxies and browser history, so {@code ?access_token=} is
 * not read (dropwizard-auth's OAuth filter would). Addresses that fail too often are throttled.
 */
@Priority(Priorities.AUTHENTICATION)
final class BearerKeyFilter extends AuthFilter<String, Caller> {
    private static final String SCHEME = "Bearer";

    private final ClientAddresses addresses;
    private final FailedAuthentications failures;

    @Context
    private HttpServletRequest servletRequest;

    private BearerKeyFilter(ClientAddresses addresses, FailedAuthentications failures) {
        this.addresses = addresses;
        this.failures = failures;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String client = addresses.clientOf(servletRequest.getRemoteAddr(), request.getHeaderString("X-Forwarded-For"));
        var retryAfter = failures.refused(client);
        if (retryAfter.isPresent()) {
            long seconds = retryAfter.getAsLong();
            throw Rejection.tooMany("too many failed authentications from this address; retry after " + seconds + " s",
                    Duration.ofSeconds(seconds));
        }
        if (!authenticate(request, credentials(request.getHeaderString(HttpHeaders.AUTHORIZATION)), SCHEME)) {
            failures.failed(client);
            throw new WebApplicationException(unauthorizedHandler.buildResponse(prefix, realm));
        }
    }

    private static String credentials(String header) {
        if (header == null) {
            return null;
        }
        int space = header.indexOf(' ');
        if (space <= 0 || !header.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return null;
        }
        String key = header.substring(space + 1).trim();
        return key.isEmpty() ? null : key;
    }

    static final class Builder extends AuthFilterBuilder<String, Caller, BearerKeyFilter> {
        private final ClientAddresses addresses;
        private final FailedAuthentications failures;

        Builder(ClientAddresses addresses, FailedAuthentications failures) {
            this.addresses = addresses;
            this.failures = failures;
        }

        @Override
        protected BearerKeyFilter newInstance() {
            return new BearerKeyFilter(addresses, failures);
        }
    }
}
