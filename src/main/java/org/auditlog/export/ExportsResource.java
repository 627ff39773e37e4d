package org.auditlog.export;

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
import org.auditlog.web.JsonBodies;

@Path("/api/v1/exports")
@RolesAllowed(Role.AUDITOR_NAME)
public final class ExportsResource {
    private static final long MAX_BODY = 64 * 1024;
    private final ExportService exports;
    private final JsonBodies bodies;

    public ExportsResource(ExportService exports, JsonBodies bodies) {
        this.exports = exports;
        this.bodies = bodies;
    }

    @GET
    @Path("/stream")
    @Timed(name = "export.stream")
    public Response stream(@Auth Caller caller, @Context UriInfo uri) {
        var stream = exports.stream(caller.requester(), StreamRequest.parse(uri.getQueryParameters()));
        StreamingOutput body = stream.body()::writeTo;
        return Response.ok(body, stream.format().contentType())
                .header("Content-Disposition", "attachment; filename=\"" + stream.fileName() + "\"")
                .build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response request(@Auth Caller caller, InputStream body) {
        var export = exports.request(caller.requester(), ExportRequest.parse(bodies.read(body, MAX_BODY)));
        return Response.status(202).entity(export).build();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public ExportRecord status(@Auth Caller caller, @PathParam("id") String id) {
        return exports.find(caller.requester(), id);
    }

    @GET
    @Path("/{id}/download")
    public Response download(@Auth Caller caller, @PathParam("id") String id) {
        var download = exports.download(caller.requester(), id);
        StreamingOutput body = out -> Files.copy(download.file(), out);
        return Response.ok(body, download.format().contentType())
                .header("Content-Disposition", "attachment; filename=\"" + download.fileName() + "\"")
                .build();
    }

    @GET
    @Path("/{id}/manifest")
    @Produces(MediaType.APPLICATION_JSON)
    public Response manifest(@Auth Caller caller, @PathParam("id") String id) {
        return Response.ok(exports.manifest(caller.requester(), id), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
