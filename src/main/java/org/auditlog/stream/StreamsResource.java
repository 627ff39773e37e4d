package org.auditlog.stream;

import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.common.Rejection;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.web.JsonBodies;

@Path("/api/v1/streams")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class StreamsResource {
    private static final long MAX_BODY = 64 * 1024;
    private final StreamsService streams;
    private final JsonBodies bodies;
    private final OutboundGuard guard;

    public StreamsResource(StreamsService streams, JsonBodies bodies, OutboundGuard guard) {
        this.streams = streams;
        this.bodies = bodies;
        this.guard = guard;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Auth Caller caller, InputStream body) {
        return Response.status(201).entity(streams.create(caller.requester(),
                StreamDefinition.parse(bodies.read(body, MAX_BODY), guard, true))).build();
    }

    @GET
    public StreamsService.Streams list(@Auth Caller caller) {
        return streams.list(caller.requester());
    }

    @GET
    @Path("/{id}")
    public StreamView get(@Auth Caller caller, @PathParam("id") String id) {
        return streams.get(caller.requester(), id);
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public StreamView update(@Auth Caller caller, @PathParam("id") String id, InputStream body) {
        return streams.update(caller.requester(), id, StreamDefinition.parse(bodies.read(body, MAX_BODY), guard, false));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@Auth Caller caller, @PathParam("id") String id) {
        streams.delete(caller.requester(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/pause")
    public StreamView pause(@Auth Caller caller, @PathParam("id") String id) {
        return streams.pause(caller.requester(), id);
    }

    @POST
    @Path("/{id}/resume")
    public StreamView resume(@Auth Caller caller, @PathParam("id") String id) {
        return streams.resume(caller.requester(), id);
    }

    @POST
    @Path("/{id}/replay")
    public StreamView replay(@Auth Caller caller, @PathParam("id") String id, @QueryParam("fromSeq") String fromSeq) {
        long from;
        try {
            from = Long.parseLong(fromSeq == null ? "" : fromSeq);
        } catch (NumberFormatException e) {
            throw Rejection.badParameter("fromSeq", "must be a whole number");
        }
        return streams.replay(caller.requester(), id, from);
    }
}
