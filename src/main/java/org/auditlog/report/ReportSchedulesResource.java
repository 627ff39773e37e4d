package org.auditlog.report;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.web.JsonBodies;

/**
 * {@code /api/v1/reports/schedules}: a class of its own, so that Jersey, which picks the root resource
 * with the longest literal path, never reads {@code schedules} as a report id of {@link ReportsResource}.
 */
@Path("/api/v1/reports/schedules")
@RolesAllowed(Role.ADMIN_NAME)
@Produces(MediaType.APPLICATION_JSON)
public final class ReportSchedulesResource {
    private static final long MAX_BODY = 64 * 1024;

    private final ReportSchedules schedules;
    private final JsonBodies bodies;

    public ReportSchedulesResource(ReportSchedules schedules, JsonBodies bodies) {
        this.schedules = schedules;
        this.bodies = bodies;
    }

    @GET
    public ReportSchedules.Schedules list(@Auth Caller caller) {
        return schedules.list(caller.requester());
    }

    @GET
    @Path("/{name}")
    public ReportSchedule schedule(@Auth Caller caller, @PathParam("name") String name) {
        return schedules.find(caller.requester(), name);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response set(@Auth Caller caller, @PathParam("name") String name, InputStream body) {
        var saved = schedules.set(caller.requester(), name, ScheduleRequest.parse(bodies.read(body, MAX_BODY)));
        return Response.status(saved.created() ? 201 : 200).entity(saved.schedule()).build();
    }

    @DELETE
    @Path("/{name}")
    public Response delete(@Auth Caller caller, @PathParam("name") String name) {
        schedules.delete(caller.requester(), name);
        return Response.noContent().build();
    }
}
