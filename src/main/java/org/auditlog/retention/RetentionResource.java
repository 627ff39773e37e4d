package org.auditlog.retention;

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
import java.util.List;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.common.Rejection;
import org.auditlog.web.JsonBodies;

@Path("/api/v1/retention")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class RetentionResource {
    private static final long MAX_BODY = 64 * 1024;
    private final RetentionPolicies policies;
    private final LegalHolds holds;
    private final RetentionRunner runner;
    private final JsonBodies bodies;

    public RetentionResource(RetentionPolicies policies, LegalHolds holds, RetentionRunner runner, JsonBodies bodies) {
        this.policies = policies;
        this.holds = holds;
        this.runner = runner;
        this.bodies = bodies;
    }

    @GET
    @Path("/policies")
    public RetentionPolicies.Policies policies(@Auth Caller caller) {
        return policies.policies(caller.requester());
    }

    @PUT
    @Path("/policies/{category}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RetentionPolicy setPolicy(@Auth Caller caller, @PathParam("category") String category, InputStream body) {
        return policies.setPolicy(caller.requester(), PolicyRequest.parse(category, bodies.read(body, MAX_BODY)));
    }

    @GET
    @Path("/holds")
    public LegalHolds.Holds holds(@Auth Caller caller) {
        return holds.holds(caller.requester());
    }

    @POST
    @Path("/holds")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createHold(@Auth Caller caller, InputStream body) {
        return Response.status(201).entity(holds.createHold(caller.requester(), HoldRequest.parse(bodies.read(body, MAX_BODY)))).build();
    }

    @DELETE
    @Path("/holds/{id}")
    public LegalHold releaseHold(@Auth Caller caller, @PathParam("id") String id) {
        return holds.releaseHold(caller.requester(), id);
    }

    @POST
    @Path("/runs")
    public RetentionRun run(@Auth Caller caller, @QueryParam("dryRun") List<String> dryRun) {
        return runner.runNow(caller.requester(), RetentionRunner.dryRun(dryRun)
                .orElseThrow(() -> Rejection.badParameter("dryRun", "must be true or false, given once")));
    }

    @GET
    @Path("/runs")
    public RetentionRunner.Runs runs(@Auth Caller caller) {
        return runner.runs(caller.requester());
    }
}
