package org.auditlog.query;

import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.event.AuditEvent;

@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.AUDITOR_NAME)
public final class EventsResource {
    private final QueryService queries;

    public EventsResource(QueryService queries) {
        this.queries = queries;
    }

    @GET
    @Timed(name = "query.search")
    public Page search(@Auth Caller caller, @Context UriInfo uri) {
        return queries.search(caller.requester(), SearchRequest.parse(uri.getQueryParameters()));
    }

    @GET
    @Path("/stats")
    @Timed(name = "query.stats")
    public Stats stats(@Auth Caller caller, @Context UriInfo uri) {
        return queries.stats(caller.requester(), StatsRequest.parse(uri.getQueryParameters()));
    }

    @GET
    @Path("/{id}")
    @Timed(name = "query.event")
    public AuditEvent find(@Auth Caller caller, @PathParam("id") String id) {
        return queries.find(caller.requester(), id);
    }
}
