package org.auditlog.integrity;

import com.codahale.metrics.annotation.Timed;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;

@Path("/api/v1/integrity")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.AUDITOR_NAME)
public final class IntegrityResource {
    private final IntegrityService integrity;

    public IntegrityResource(IntegrityService integrity) {
        this.integrity = integrity;
    }

    public record CheckpointList(List<Checkpoint> checkpoints) {
    }

    @GET
    @Path("/verify")
    @Timed(name = "integrity.verify")
    public VerificationResult verify(@Auth Caller caller, @QueryParam("fromSeq") String fromSeq,
                                     @QueryParam("toSeq") String toSeq) {
        return integrity.verify(caller.requester(), fromSeq, toSeq);
    }

    @GET
    @Path("/checkpoints")
    public CheckpointList checkpoints(@Auth Caller caller, @QueryParam("limit") String limit) {
        return new CheckpointList(integrity.checkpoints(caller.requester(), limit));
    }

    @GET
    @Path("/keys")
    public List<PublicSigningKey> keys(@Auth Caller caller) {
        return integrity.keys();
    }
}
