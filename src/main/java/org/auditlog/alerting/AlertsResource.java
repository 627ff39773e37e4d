package org.auditlog.alerting;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.common.Rejection;
import org.auditlog.common.TimeIdCursor;
import org.auditlog.event.EventIds;
import org.auditlog.filter.QueryParameters;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.web.JsonBodies;

@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_NAME)
public final class AlertsResource {
    private static final long MAX_BODY = 64 * 1024;
    private static final Set<String> DELIVERY_PARAMETERS = Set.of("channelId", "alertId", "status", "limit", "cursor");
    private final AlertingService alerting;
    private final JsonBodies bodies;
    private final OutboundGuard guard;

    public AlertsResource(AlertingService alerting, JsonBodies bodies, OutboundGuard guard) {
        this.alerting = alerting;
        this.bodies = bodies;
        this.guard = guard;
    }

    @GET
    @RolesAllowed(Role.AUDITOR_NAME)
    public AlertingService.Alerts alerts(@Auth Caller caller, @QueryParam("state") String state) {
        Optional<AlertState> wanted = state == null ? Optional.empty() : Optional.of(AlertState.fromWire(state)
                .orElseThrow(() -> Rejection.badParameter("state", "must be firing or resolved")));
        return alerting.alerts(caller.requester(), wanted);
    }

    /** The delivery log: {@code channelId}, {@code alertId} and {@code status} filter it; {@code limit} and {@code cursor} page it. */
    @GET
    @Path("/deliveries")
    public AlertingService.DeliveryLog deliveries(@Auth Caller caller, @Context UriInfo uri) {
        var parameters = uri.getQueryParameters();
        for (String name : parameters.keySet()) {
            if (!DELIVERY_PARAMETERS.contains(name)) {
                throw Rejection.badParameter(name, "unknown parameter");
            }
        }
        var query = QueryParameters.of(parameters);
        Optional<String> status = query.single("status");
        if (status.isPresent() && !AlertingService.DeliveryQuery.STATUSES.contains(status.get())) {
            throw Rejection.badParameter("status", "must be pending, delivered, failed or cancelled");
        }
        return alerting.deliveries(caller.requester(), new AlertingService.DeliveryQuery(id(query, "channelId"), id(query, "alertId"),
                status, QueryParameters.pageSize("limit", query.single("limit"), 50, AlertingService.DeliveryQuery.MAX_PAGE),
                TimeIdCursor.decode(query.single("cursor"))));
    }

    private static Optional<UUID> id(QueryParameters query, String name) {
        return query.single(name).map(text -> EventIds.parse(text)
                .orElseThrow(() -> Rejection.badParameter(name, "must be an id (a UUID)")));
    }

    @POST
    @Path("/channels")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createChannel(@Auth Caller caller, InputStream body) {
        return Response.status(201).entity(alerting.createChannel(caller.requester(),
                ChannelRequest.parse(bodies.read(body, MAX_BODY), guard))).build();
    }

    @GET
    @Path("/channels")
    public AlertingService.Channels channels(@Auth Caller caller) {
        return alerting.channels(caller.requester());
    }

    @GET
    @Path("/channels/{id}")
    public Channel channel(@Auth Caller caller, @PathParam("id") String id) {
        return alerting.channel(caller.requester(), id);
    }

    @DELETE
    @Path("/channels/{id}")
    public Response deleteChannel(@Auth Caller caller, @PathParam("id") String id) {
        alerting.deleteChannel(caller.requester(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/rules")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createRule(@Auth Caller caller, InputStream body) {
        return Response.status(201).entity(alerting.createRule(caller.requester(), RuleRequest.parse(bodies.read(body, MAX_BODY)))).build();
    }

    @GET
    @Path("/rules")
    public AlertingService.Rules rules(@Auth Caller caller) {
        return alerting.rules(caller.requester());
    }

    @GET
    @Path("/rules/{id}")
    public RuleView rule(@Auth Caller caller, @PathParam("id") String id) {
        return alerting.rule(caller.requester(), id);
    }

    @PUT
    @Path("/rules/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public RuleView updateRule(@Auth Caller caller, @PathParam("id") String id, InputStream body) {
        return alerting.updateRule(caller.requester(), id, RuleRequest.parse(bodies.read(body, MAX_BODY)));
    }

    @DELETE
    @Path("/rules/{id}")
    public Response deleteRule(@Auth Caller caller, @PathParam("id") String id) {
        alerting.deleteRule(caller.requester(), id);
        return Response.noContent().build();
    }
}
