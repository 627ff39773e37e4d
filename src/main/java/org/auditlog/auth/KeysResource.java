package org.auditlog.auth;

import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.web.JsonBodies;

@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class KeysResource {
    private static final long MAX_BODY = 16 * 1024;
    private final ApiKeyService keys;
    private final JsonBodies bodies;

    public KeysResource(ApiKeyService keys, JsonBodies bodies) {
        this.keys = keys;
        this.bodies = bodies;
    }

    /** The created key with its secret, which is shown this once. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreatedKeyView(@JsonUnwrapped ApiKey apiKey, @JsonProperty("key") String key) {
    }

    public record KeyList(List<ApiKey> keys) {
    }

    @POST
    @Timed
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Auth Caller caller, InputStream body) {
        var created = keys.create(caller.requester(), KeyRequest.parse(bodies.read(body, MAX_BODY)));
        return Response.status(201).entity(new CreatedKeyView(created.key(), created.secret())).build();
    }

    @GET
    @Timed
    public KeyList list(@Auth Caller caller) {
        return new KeyList(keys.list(caller.requester()));
    }

    @DELETE
    @Timed
    @Path("/{id}")
    public Response revoke(@Auth Caller caller, @PathParam("id") String id) {
        keys.revoke(caller.requester(), id);
        return Response.noContent().build();
    }
}
