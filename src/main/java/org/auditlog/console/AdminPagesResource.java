package org.auditlog.console;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.auditlog.access.Requester;
import org.auditlog.alerting.ChannelRequest;
import org.auditlog.alerting.RuleRequest;
import org.auditlog.auth.KeyRequest;
import org.auditlog.common.Rejection;
import org.auditlog.retention.HoldRequest;
import org.auditlog.retention.PolicyRequest;
import org.auditlog.web.ErrorMappers;

/**
 * The admin pages: retention policies, legal holds and dry runs; alert rules, channels and recent
 * alerts; API keys. Only a session whose key has the admin role opens them. Every change is read
 * from its form into the JSON body the API takes and parsed by the API's own request classes, then
 * made by the API's services, which check and record it as they do for the API. A refused change
 * shows the page again with the API's message, at the status the API would answer; a change made
 * leads back to its page (303), but for a new key, whose secret the answer shows this once.
 */
@Path("/console/admin")
@ConsoleSessionFilter.SignedIn
@Produces(MediaType.TEXT_HTML)
public final class AdminPagesResource {
    /** One admin page: where it is, its name in the log of page views, and how it is drawn. */
    private record Screen(String path, String view, Renderer renderer) {
    }

    @FunctionalInterface
    private interface Renderer {
        AdminPage render(Session session, String error, Map<String, List<String>> form);
    }

    private final ConsoleServices services;
    private final PageViews views;
    private final Screen retention;
    private final Screen alerts;
    private final Screen keys;

    AdminPagesResource(ConsoleServices services, PageViews views) {
        this.services = services;
        this.views = views;
        this.retention = new Screen("/console/admin/retention", "admin-retention",
                (session, error, form) -> RetentionPage.of(session, services.retention(), error, form));
        this.alerts = new Screen("/console/admin/alerts", "admin-alerts",
                (session, error, form) -> AlertsPage.of(session, services.alerting().service(), error, form));
        this.keys = new Screen("/console/admin/keys", "admin-keys",
                (session, error, form) -> KeysPage.of(session, services.keys().service(), error, form));
    }

    @GET
    @Path("/retention")
    public Response retention(@Context ContainerRequestContext request) {
        return show(request, retention);
    }

    @POST
    @Path("/retention/policies")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setPolicy(@Context ContainerRequestContext request, Form form) {
        return change(request, form, retention, (requester, fields) -> services.retention().policies()
                .setPolicy(requester, PolicyRequest.parse(fields.category(), fields.policy())));
    }

    @POST
    @Path("/retention/holds")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createHold(@Context ContainerRequestContext request, Form form) {
        return change(request, form, retention, (requester, fields) -> services.retention().holds()
                .createHold(requester, HoldRequest.parse(fields.hold())));
    }

    @POST
    @Path("/retention/holds/{id}/release")
    public Response releaseHold(@Context ContainerRequestContext request, @PathParam("id") String id) {
        return change(request, null, retention, (requester, fields) -> services.retention().holds()
                .releaseHold(requester, id));
    }

    /** A dry run now: what a run would delete and what holds keep, answered on the page; nothing is deleted. */
    @POST
    @Path("/retention/dry-run")
    public Response dryRun(@Context ContainerRequestContext request) {
        return asAdmin(request, null, retention, session -> Response.ok(RetentionPage.of(session, services.retention(),
                null, Map.of(), services.retention().runner().runNow(session.caller().requester(), true))).build());
    }

    @GET
    @Path("/alerts")
    public Response alerts(@Context ContainerRequestContext request) {
        return show(request, alerts);
    }

    @POST
    @Path("/alerts/rules")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createRule(@Context ContainerRequestContext request, Form form) {
        return change(request, form, alerts, (requester, fields) -> services.alerting().service()
                .createRule(requester, RuleRequest.parse(fields.rule())));
    }

    @POST
    @Path("/alerts/rules/{id}/delete")
    public Response deleteRule(@Context ContainerRequestContext request, @PathParam("id") String id) {
        return change(request, null, alerts, (requester, fields) -> services.alerting().service()
                .deleteRule(requester, id));
    }

    @POST
    @Path("/alerts/channels")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createChannel(@Context ContainerRequestContext request, Form form) {
        return change(request, form, alerts, (requester, fields) -> services.alerting().service()
                .createChannel(requester, ChannelRequest.parse(fields.channel(), services.alerting().guard())));
    }

    @POST
    @Path("/alerts/channels/{id}/delete")
    public Response deleteChannel(@Context ContainerRequestContext request, @PathParam("id") String id) {
        return change(request, null, alerts, (requester, fields) -> services.alerting().service()
                .deleteChannel(requester, id));
    }

    @GET
    @Path("/keys")
    public Response keys(@Context ContainerRequestContext request) {
        return show(request, keys);
    }

    /** A new key: its secret is on this answer only, never in a URL, a log or a later page. */
    @POST
    @Path("/keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createKey(@Context ContainerRequestContext request, Form form) {
        return asAdmin(request, form, keys, session -> {
            var keyService = services.keys().service();
            var created = keyService.create(session.caller().requester(),
                    KeyRequest.parse(new AdminForms(form.asMap()).key()));
            return Response.ok(KeysPage.of(session, keyService, null, Map.of(),
                    new KeysPage.Created(created.key().name(), created.secret()))).build();
        });
    }

    /** Revokes a key; revoking the key this session signed in with ends the session too. */
    @POST
    @Path("/keys/{id}/revoke")
    public Response revokeKey(@Context ContainerRequestContext request, @PathParam("id") String id) {
        return change(request, null, keys, (requester, fields) -> services.keys().service().revoke(requester, id));
    }

    /** A page as it is now, its view recorded once. */
    private Response show(ContainerRequestContext request, Screen screen) {
        return asAdmin(request, null, screen, session -> {
            AdminPage page = screen.renderer().render(session, null, Map.of());
            views.viewed(session, screen.view(), null);
            return Response.ok(page).build();
        });
    }

    /** One change of a form, made by the API's services; made, it leads back to the page (Post/Redirect/Get). */
    private Response change(ContainerRequestContext request, Form form, Screen screen, Change change) {
        return asAdmin(request, form, screen, session -> {
            change.make(session.caller().requester(), new AdminForms(form == null ? Map.of() : form.asMap()));
            return Response.seeOther(URI.create(screen.path())).build();
        });
    }

    @FunctionalInterface
    private interface Change {
        void make(Requester requester, AdminForms fields);
    }

    /**
     * {@code answer} for an admin's session; for another, the page that says the key may not. A change the
     * API refuses draws {@code screen} again with the API's message and the form as sent, at the API's status.
     */
    private Response asAdmin(ContainerRequestContext request, Form form, Screen screen,
                             Function<Session, Response> answer) {
        Session session = ConsoleSessionFilter.session(request);
        if (!session.admin()) {
            return Response.status(403).entity(new ErrorPage(session, 403,
                    "These pages are for keys with the admin role; the key you signed in with does not have it.",
                    List.of())).build();
        }
        try {
            return answer.apply(session);
        } catch (Rejection e) {
            var refused = Response.status(ErrorMappers.status(e.kind()));
            e.retryAfter().ifPresent(after -> refused.header("Retry-After", Math.max(1, after.toSeconds())));
            return refused.entity(screen.renderer().render(session, ConsoleResource.message(e),
                            form == null ? Map.of() : form.asMap()))
                    .build();
        }
    }
}
