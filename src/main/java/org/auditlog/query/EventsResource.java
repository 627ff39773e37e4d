package org.auditlog.query;

import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.auditlog.auth.Caller;
import org.auditlog.auth.Role;
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
    @Path("/{id}")
    @Timed(name = "query.event")
    public AuditEvent find(@Auth Caller caller, @PathParam("id") String id) {
        return queries.find(caller, id);
    }
}
