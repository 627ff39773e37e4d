package org.auditlog.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The service's root leads to the console. */
@Path("/")
public final class ConsoleRootResource {
    @GET
    public Response root() {
        return Response.seeOther(URI.create("/console/")).build();
    }
}
