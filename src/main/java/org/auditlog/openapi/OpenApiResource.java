package org.auditlog.openapi;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.auditlog.common.Rejection;

/** The OpenAPI document, for anyone: it holds no secret, and a client generator needs it before it has a key. */
@Path(OpenApiFeature.PATH)
public final class OpenApiResource {
    private volatile String document;

    void publish(String document) {
        this.document = document;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response document() {
        String current = document;
        if (current == null) {
            throw Rejection.unavailable("the service is still starting", null);
        }
        return Response.ok(current, MediaType.APPLICATION_JSON_TYPE).build();
    }
}
