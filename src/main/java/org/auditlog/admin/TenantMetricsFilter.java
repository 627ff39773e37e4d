package org.auditlog.admin;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import java.util.List;
import org.auditlog.access.Caller;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * Times every request of the API from before it is matched to a resource, and records it in
 * {@link TenantTraffic} with the tenant of the key it came with, its route (the resource's path
 * template, never the path itself, so ids make no series) and its status, refusals included.
 */
@PreMatching
@Priority(0)
final class TenantMetricsFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final String STARTED = TenantMetricsFilter.class.getName() + ".started";
    private final TenantTraffic traffic;

    TenantMetricsFilter(TenantTraffic traffic) {
        this.traffic = traffic;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!(request.getProperty(STARTED) instanceof Long started)) {
            return;
        }
        String tenant = request.getSecurityContext() != null
                && request.getSecurityContext().getUserPrincipal() instanceof Caller caller ? caller.tenant() : null;
        traffic.record(tenant, request.getMethod(), route(request), response.getStatus(), System.nanoTime() - started);
    }

    /** The matched resource's path template, or "unmatched". */
    private static String route(ContainerRequestContext request) {
        if (!(request.getUriInfo() instanceof ExtendedUriInfo uri)) {
            return "unmatched";
        }
        List<UriTemplate> templates = uri.getMatchedTemplates();
        if (templates.isEmpty()) {
            return "unmatched";
        }
        StringBuilder path = new StringBuilder();
        for (int i = templates.size() - 1; i >= 0; i--) {
            String part = templates.get(i).getTemplate();
            if (!part.isEmpty() && !part.equals("/")) {
                if (path.length() > 0 && path.charAt(path.length() - 1) != '/' && !part.startsWith("/")) {
                    path.append('/');
                }
                path.append(part);
            }
        }
        return path.length() == 0 ? "/" : path.toString();
    }
}
