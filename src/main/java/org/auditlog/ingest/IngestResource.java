package org.auditlog.ingest;

import com.codahale.metrics.annotation.Timed;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.dropwizard.auth.Auth;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.event.AuditEvent;
import org.auditlog.trail.Appended;
import org.auditlog.web.JsonBodies;

@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.INGEST_NAME)
public final class IngestResource {
    private final IngestService ingest;
    private final JsonBodies bodies;
    private final long maxEventBytes;
    private final long maxBatchBytes;

    public IngestResource(IngestService ingest, JsonBodies bodies, IngestConfiguration configuration) {
        this.ingest = ingest;
        this.bodies = bodies;
        this.maxEventBytes = configuration.getMaxEventBodySize().toBytes();
        this.maxBatchBytes = configuration.getMaxBatchBodySize().toBytes();
    }

    /** The stored event; {@code duplicate} only on an idempotent repeat. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StoredView(@JsonUnwrapped AuditEvent event, Boolean duplicate) {
    }

    public record BatchEntry(String id, long seq, String hash, String idempotencyKey, boolean duplicate) {
    }

    public record BatchView(List<BatchEntry> events) {
    }

    @POST
    @Timed(name = "ingest.single")
    public Response ingestOne(@Auth Caller caller, InputStream body) {
        Appended appended = ingest.ingestOne(caller.requester(), bodies.read(body, maxEventBytes));
        return Response.status(appended.duplicate() ? 200 : 201)
                .entity(new StoredView(appended.event(), appended.duplicate() ? Boolean.TRUE : null))
                .build();
    }

    @POST
    @Path("/batch")
    @Timed(name = "ingest.batch")
    public Response ingestBatch(@Auth Caller caller, InputStream body) {
        List<Appended> appended = ingest.ingestBatch(caller.requester(), bodies.read(body, maxBatchBytes));
        return Response.status(201).entity(new BatchView(appended.stream()
                .map(a -> new BatchEntry(a.event().id(), a.event().seq(), a.event().hash(),
                        a.event().idempotencyKey(), a.duplicate()))
                .toList())).build();
    }
}
