package org.auditlog.report;

import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.nio.file.Files;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.common.Rejection;
import org.auditlog.filter.QueryParameters;
import org.auditlog.web.JsonBodies;

@Path("/api/v1/reports")
@RolesAllowed(Role.AUDITOR_NAME)
public final class ReportsResource {
    private static final long MAX_BODY = 64 * 1024;

    private final ReportService reports;
    private final JsonBodies bodies;

    public ReportsResource(ReportService reports, JsonBodies bodies) {
        this.reports = reports;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Timed(name = "report.request")
    public Response request(@Auth Caller caller, InputStream body) {
        var report = reports.request(caller.requester(), ReportRequest.parse(bodies.read(body, MAX_BODY)));
        return Response.status(202).entity(report).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ReportService.Reports list(@Auth Caller caller, @Context UriInfo uri) {
        var query = QueryParameters.of(uri.getQueryParameters());
        for (String name : uri.getQueryParameters().keySet()) {
            if (!name.equals("limit") && !name.equals("cursor")) {
                throw Rejection.badParameter(name, "unknown parameter");
            }
        }
        int limit = QueryParameters.pageSize("limit", query.single("limit"), 20, ReportService.MAX_PAGE);
        return reports.list(caller.requester(), limit, query.single("cursor"));
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ReportRecord status(@Auth Caller caller, @PathParam("id") String id) {
        return reports.find(caller.requester(), id);
    }

    @GET
    @Path("/{id}/download")
    @Produces("application/pdf")
    public Response download(@Auth Caller caller, @PathParam("id") String id) {
        var download = reports.download(caller.requester(), id);
        StreamingOutput body = out -> Files.copy(download.file(), out);
        return Response.ok(body, "application/pdf")
                .header("Content-Disposition", "attachment; filename=\"" + download.fileName() + "\"")
                .build();
    }

    @GET
    @Path("/{id}/manifest")
    @Produces(MediaType.APPLICATION_JSON)
    public Response manifest(@Auth Caller caller, @PathParam("id") String id) {
        return Response.ok(reports.manifest(caller.requester(), id), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
