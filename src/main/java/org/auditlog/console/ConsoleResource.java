package org.auditlog.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.event.AuditEvent;
import org.auditlog.export.ExportFormat;
import org.auditlog.export.ExportRecord;
import org.auditlog.export.ExportRequest;
import org.auditlog.export.StreamRequest;
import org.auditlog.integrity.EventEvidence;
import org.auditlog.integrity.PublicSigningKey;

/**
 * The officer's pages: sign-out, search (with its histogram, facets and saved searches), and exports of the
 * current search, streamed as CSV or made in the background with a signed manifest.
 */
@Path("/console")
@ConsoleSessionFilter.SignedIn
@Produces(MediaType.TEXT_HTML)
public final class ConsoleResource {
    private static final ObjectMapper MANIFESTS = new ObjectMapper();

    private final ConsoleServices services;
    private final SavedSearches saved;
    private final PageViews views;

    private final ObjectMapper mapper;

    private final ConsoleSessions sessions;

    ConsoleResource(ConsoleServices services, ConsoleSessions sessions, SavedSearches saved, PageViews views,
                    ObjectMapper mapper) {
        this.services = services;
        this.sessions = sessions;
        this.saved = saved;
        this.views = views;
        this.mapper = mapper;
    }

    @GET
    @Path("/")
    public Response search(@Context ContainerRequestContext request, @Context UriInfo uri) {
        Session session = ConsoleSessionFilter.session(request);
        var parameters = uri.getQueryParameters();
        List<SearchPage.Saved> mine = saved.list(session).stream()
                .map(s -> new SearchPage.Saved(s.id().toString(), s.name(), "/console/?" + s.query())).toList();
        ConsoleSearch search;
        try {
            search = ConsoleSearch.parse(parameters, Timestamps.now());
        } catch (Rejection e) {
            return Response.status(400).entity(SearchPage.refused(session,
                    ConsoleSearch.parse(Map.of(), Timestamps.now()), message(e), mine)).build();
        }
        Optional<String> cursor = Optional.ofNullable(parameters.getFirst("cursor")).filter(c -> !c.isEmpty());
        SearchPage page;
        try {
            page = SearchPage.of(session, search, cursor, services.queries(), mine);
        } catch (Rejection e) {
            return Response.status(400).entity(SearchPage.refused(session, search, message(e), mine)).build();
        }
        ObjectNode details = search.describeJson();
        cursor.ifPresent(c -> details.put("nextPage", true));
        views.viewed(session, "search", details);
        return Response.ok(page).build();
    }

    @POST
    @Path("/sign-out")
    public Response signOut(@Context ContainerRequestContext request, @Context HttpServletRequest servletRequest) {
        var keys = services.keys().check();
        sessions.close(ConsoleSessionFilter.session(request), SignInResource.client(servletRequest, keys));
        return Response.seeOther(URI.create("/console/sign-in"))
                .header(HttpHeaders.SET_COOKIE, SignInResource.cookie(ConsoleSessionFilter.COOKIE, "", 0,
                        SignInResource.secure(servletRequest, keys)))
                .build();
    }

    @GET
    @Path("/events/{id}")
    public EventPage event(@Context ContainerRequestContext request, @PathParam("id") String id) {
        Session session = ConsoleSessionFilter.session(request);
        var requester = session.caller().requester();
        AuditEvent event = services.queries().find(requester, id);
        EventEvidence evidence = services.integrity().evidence(requester, event.seq());
        views.viewed(session, "event", JsonNodeFactory.instance.objectNode().put("eventId", event.id())
                .put("seq", event.seq()).put("badge", evidence.state().wireName()));
        return new EventPage(session, event, evidence, mapper);
    }

    @GET
    @Path("/export.csv")
    @Produces("text/csv")
    public Response exportCsv(@Context ContainerRequestContext request, @Context UriInfo uri) {
        Session session = ConsoleSessionFilter.session(request);
        ConsoleSearch search = ConsoleSearch.parse(uri.getQueryParameters(), Timestamps.now());
        var stream = services.exports().stream(session.caller().requester(),
                new StreamRequest(ExportFormat.CSV, search.filter()));
        StreamingOutput body = stream.body()::writeTo;
        return Response.ok(body, stream.format().contentType())
                .header("Content-Disposition", "attachment; filename=\"" + stream.fileName() + "\"")
                .build();
    }

    @POST
    @Path("/exports")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response requestExport(@Context ContainerRequestContext request, @FormParam("query") String query,
                                  @FormParam("format") String format) {
        Session session = ConsoleSessionFilter.session(request);
        ConsoleSearch search = ConsoleSearch.parse(QueryStrings.parse(query), Timestamps.now());
        ExportFormat chosen = ExportFormat.fromWire(format == null ? "csv" : format)
                .orElseThrow(() -> Rejection.badParameter("format", "must be csv, ndjson or json"));
        ExportRecord export = services.exports().request(session.caller().requester(),
                new ExportRequest(chosen, search.filter()));
        return Response.seeOther(URI.create("/console/exports/" + export.id())).build();
    }

    @GET
    @Path("/exports/{id}")
    public ExportPage export(@Context ContainerRequestContext request, @PathParam("id") String id) {
        Session session = ConsoleSessionFilter.session(request);
        ExportRecord export = services.exports().find(session.caller().requester(), id);
        views.viewed(session, "export", JsonNodeFactory.instance.objectNode().put("exportId", id));
        return new ExportPage(session, export, publicKey(export));
    }

    /** The export's status for the page's script, which keeps the page current while it runs. */
    @GET
    @Path("/exports/{id}/status")
    @Produces(MediaType.APPLICATION_JSON)
    public ExportRecord exportStatus(@Context ContainerRequestContext request, @PathParam("id") String id) {
        return services.exports().find(ConsoleSessionFilter.session(request).caller().requester(), id);
    }

    @GET
    @Path("/exports/{id}/download")
    public Response download(@Context ContainerRequestContext request, @PathParam("id") String id) {
        var download = services.exports().download(ConsoleSessionFilter.session(request).caller().requester(), id);
        StreamingOutput body = out -> Files.copy(download.file(), out);
        return Response.ok(body, download.format().contentType())
                .header("Content-Disposition", "attachment; filename=\"" + download.fileName() + "\"")
                .build();
    }

    @GET
    @Path("/exports/{id}/manifest")
    @Produces(MediaType.APPLICATION_JSON)
    public Response manifest(@Context ContainerRequestContext request, @PathParam("id") String id) {
        var requester = ConsoleSessionFilter.session(request).caller().requester();
        ExportRecord export = services.exports().find(requester, id);
        return Response.ok(services.exports().manifest(requester, id), MediaType.APPLICATION_JSON_TYPE)
                .header("Content-Disposition", "attachment; filename=\"audit-" + export.tenant() + "-" + export.id()
                        + ".manifest.json\"")
                .build();
    }

    @POST
    @Path("/searches")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveSearch(@Context ContainerRequestContext request, @FormParam("name") String name,
                               @FormParam("query") String query) {
        Session session = ConsoleSessionFilter.session(request);
        ConsoleSearch search = ConsoleSearch.parse(QueryStrings.parse(query), Timestamps.now());
        saved.save(session, name, search);
        return Response.seeOther(URI.create("/console/?" + search.query())).build();
    }

    @POST
    @Path("/searches/{id}/delete")
    public Response deleteSearch(@Context ContainerRequestContext request, @PathParam("id") String id) {
        saved.delete(ConsoleSessionFilter.session(request), id);
        return Response.seeOther(URI.create("/console/")).build();
    }

    /** The public key that signed the export's manifest, for the command that checks it; empty until signed. */
    private String publicKey(ExportRecord export) {
        if (export.manifest() == null) {
            return "";
        }
        String keyId;
        try {
            keyId = MANIFESTS.readTree(export.manifest()).path("keyId").asText();
        } catch (java.io.IOException e) {
            return "";
        }
        return services.integrity().keys().stream().filter(k -> k.keyId().equals(keyId))
                .map(PublicSigningKey::publicKey).findFirst().orElse("");
    }

    /** The rejection's message; one problem it names already, several are listed after it, each by its field. */
    static String message(Rejection e) {
        if (e.details().size() <= 1) {
            return e.getMessage();
        }
        return e.getMessage() + ": " + e.details().stream().map(p -> p.field() + " " + p.error())
                .collect(java.util.stream.Collectors.joining("; "));
    }
}
