package org.auditlog.console;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import org.auditlog.web.ErrorBody;

/**
 * A console page that is refused (an unknown event, an export not done yet, a bad form) answers a
 * browser with a page, not the API's JSON error: same status, same message, the fields it names.
 * Requests that ask for JSON (the export page's script) keep the JSON.
 */
@ConsoleSessionFilter.SignedIn
@Priority(Priorities.ENTITY_CODER)
final class ConsoleErrorPagesFilter implements ContainerResponseFilter {
    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() < 400 || !(response.getEntity() instanceof ErrorBody error)) {
            return;
        }
        boolean browser = request.getAcceptableMediaTypes().stream()
                .anyMatch(type -> type.isCompatible(MediaType.TEXT_HTML_TYPE) && !type.isWildcardType());
        if (!browser) {
            return;
        }
        response.setEntity(new ErrorPage(ConsoleSessionFilter.session(request), error.code(), error.message(),
                error.details()), response.getEntityAnnotations(), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
    }
}
