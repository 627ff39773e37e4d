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
import java.util.Optional;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.common.Rejection;
import org.auditlog.filter.QueryParameters;

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
        return integrity.verify(caller.requester(), sequence("fromSeq", fromSeq), sequence("toSeq", toSeq));
    }

    @GET
    @Path("/checkpoints")
    public CheckpointList checkpoints(@Auth Caller caller, @QueryParam("limit") String limit) {
        int count = QueryParameters.pageSize("limit", Optional.ofNullable(limit).filter(l -> !l.isEmpty()), 100, 1000);
        return new CheckpointList(integrity.checkpoints(caller.requester(), count));
    }

    @GET
    @Path("/keys")
    public List<PublicSigningKey> keys(@Auth Caller caller) {
        return integrity.keys();
    }

    /** A whole number of at least 1, or empty when the parameter is absent or empty. */
    private static Optional<Long> sequence(String name, String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(text);
            if (value >= 1) {
                return Optional.of(value);
            }
        } catch (NumberFormatException e) {
            // falls through to the 400
        }
        throw Rejection.badParameter(name, "must be a whole number of at least 1");
    }
}
