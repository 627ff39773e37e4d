package org.auditlog.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Writes the OpenAPI 3.1 document of the routes the service serves: each route's method, path, path parameters,
 * security and the refusals that follow from them (401, 403, 429 and 503 where a key is needed, 404 where an id is
 * in the path, 400 for parameters, 400, 413, 415 and 422 for a body) come from the code; {@link Operations} adds the
 * words, the query parameters an operation reads itself, the bodies and the answers; schemas.json holds the bodies'
 * schemas. A route the table does not describe is still in the document, marked as not described.
 */
public final class OpenApiDocument {
    public static final String OPENAPI_VERSION = "3.1.0";
    /** The version of the API the document describes (the contract's). */
    public static final String API_VERSION = "1.1";
    public static final String SECURITY_SCHEME = "apiKey";
    public static final String NOT_DESCRIBED = "Not described yet: add it to org.auditlog.openapi.Operations.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHOD_ORDER = List.of("GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Map<Integer, Refusal> REFUSALS = Map.ofEntries(
            Map.entry(400, new Refusal("BadRequest", "Malformed JSON, an empty body, a member given twice, or a bad "
                    + "query parameter; the message or `details` names it.", false)),
            Map.entry(401, new Refusal("Unauthorized", "No `Authorization: Bearer <key>`, or an unknown or revoked key.",
                    false)),
            Map.entry(403, new Refusal("Forbidden", "The key lacks the role the operation needs.", false)),
            Map.entry(404, new Refusal("NotFound", "No such thing in the key's tenant (another tenant's id answers "
                    + "exactly like a missing one).", false)),
            Map.entry(409, new Refusal("Conflict", "Not now: the thing is not ready, or another run is going on.", false)),
            Map.entry(410, new Refusal("Gone", "The file has expired.", false)),
            Map.entry(413, new Refusal("PayloadTooLarge", "The body is over the size allowed.", false)),
            Map.entry(415, new Refusal("UnsupportedMediaType", "The body is not sent as `application/json`.", false)),
            Map.entry(422, new Refusal("UnprocessableEntity", "Unknown fields, wrong types or broken rules: one `details` "
                    + "entry per problem; nothing is stored or changed.", false)),
            Map.entry(429, new Refusal("TooManyRequests", "Over the key's rate limit, too many failed authentications "
                    + "from the address, or the tenant already runs as much of this work as it may.", true)),
            Map.entry(503, new Refusal("ServiceUnavailable", "The database is unavailable, the service is stopping, or a "
                    + "read took longer than the service allows.", true)));

    /** The tags' words: one tag a feature, named for its package. */
    private static final Map<String, String> FEATURES = Map.of(
            "ingest", "Writing events (role `ingest`).",
            "query", "Reading events: queries, single events, statistics (role `auditor`).",
            "export", "Compliance exports, streamed or made in the background (role `auditor`).",
            "report", "Signed PDF compliance reports (role `auditor`) and their schedules (role `admin`).",
            "integrity", "The hash chain's verification, signed checkpoints and signing keys (role `auditor`).",
            "retention", "Retention policies, legal holds and retention runs (role `admin`).",
            "alerting", "Threshold alerts: channels, rules, alerts and the delivery log (role `admin`; alerts also "
                    + "`auditor`).",
            "stream", "SIEM streams (role `admin`).",
            "auth", "API keys (role `admin`).",
            "openapi", "This document (no key).");

    private record Refusal(String name, String description, boolean retryAfter) {
    }

    private OpenApiDocument() {
    }

    /** The document as the service serves it: indented JSON ending with a line break. */
    public static String render(List<Route> routes) {
        try {
            var printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
            return JSON.writer(printer).writeValueAsString(build(routes)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the OpenAPI document", e);
        }
    }

    static ObjectNode build(List<Route> routes) {
        ObjectNode document = JSON.createObjectNode();
        document.put("openapi", OPENAPI_VERSION);
        ObjectNode info = document.putObject("info");
        info.put("title", "Audit log service API");
        info.put("version", API_VERSION);
        info.put("description", "Append-only, tamper-evident audit log: ingest, query, export, verify, retain, alert "
                + "and stream. docs/api.md describes every operation in detail. Every error is "
                + "`{\"code\", \"message\", \"details\"}`; every answer carries `X-Request-Id`.");
        document.putArray("servers").addObject()
                .put("url", "http://localhost:8080")
                .put("description", "The service as the README starts it (AUDIT_HTTP_PORT)");

        Map<String, List<Route>> byPath = new TreeMap<>();
        for (Route route : routes) {
            byPath.computeIfAbsent(route.path(), p -> new ArrayList<>()).add(route);
        }
        Set<String> features = new TreeSet<>();
        ObjectNode paths = document.putObject("paths");
        for (var entry : byPath.entrySet()) {
            ObjectNode item = paths.putObject(entry.getKey());
            entry.getValue().stream()
                    .sorted(Comparator.comparingInt(r -> METHOD_ORDER.indexOf(r.method())))
                    .forEach(route -> {
                        features.add(route.feature());
                        item.set(route.method().toLowerCase(Locale.ROOT), operation(route));
                    });
        }

        ObjectNode components = document.putObject("components");
        components.set("schemas", schemas());
        ObjectNode responses = components.putObject("responses");
        REFUSALS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> responses.set(e.getValue().name(), refusal(e.getValue())));
        components.putObject("securitySchemes").putObject(SECURITY_SCHEME)
                .put("type", "http")
                .put("scheme", "bearer")
                .put("description", "An API key of the tenant, in `Authorization: Bearer <key>` and nowhere else. "
                        + "The first key comes from the `create-key` command; admins create others with "
                        + "`POST /api/v1/keys`.");
        ArrayNode tags = document.putArray("tags");
        features.forEach(feature -> {
            ObjectNode tag = tags.addObject().put("name", feature);
            if (FEATURES.containsKey(feature)) {
                tag.put("description", FEATURES.get(feature));
            }
        });
        return document;
    }

    private static ObjectNode operation(Route route) {
        Optional<Operation> described = Optional.ofNullable(Operations.ALL.get(route.key()));
        ObjectNode operation = JSON.createObjectNode();
        operation.putArray("tags").add(route.feature());
        operation.put("operationId", described.map(Operation::operationId).orElseGet(() -> fallbackId(route)));
        operation.put("summary", described.map(Operation::summary).orElse(route.key()));
        operation.put("description", described.map(o -> roleSentence(route, o.description())).orElse(NOT_DESCRIBED));
        ArrayNode security = operation.putArray("security");
        if (route.authenticated()) {
            security.addObject().putArray(SECURITY_SCHEME);
        }
        ArrayNode roles = operation.putArray("x-roles");
        route.roles().stream().sorted().forEach(roles::add);

        ArrayNode parameters = operation.putArray("parameters");
        for (String name : route.parameterNames("path")) {
            ObjectNode parameter = parameters.addObject();
            parameter.put("name", name).put("in", "path").put("required", true);
            parameter.putObject("schema").put("type", "string");
        }
        List<Operation.QueryParameter> query = new ArrayList<>(described.map(Operation::query).orElse(List.of()));
        Set<String> describedNames = query.stream().map(Operation.QueryParameter::name).collect(Collectors.toSet());
        for (String declared : route.parameterNames("query")) {
            if (!describedNames.contains(declared)) {
                query.add(new Operation.QueryParameter(declared, Operation.string(), NOT_DESCRIBED, false));
            }
        }
        for (var given : query) {
            ObjectNode parameter = parameters.addObject();
            parameter.put("name", given.name()).put("in", "query").put("required", given.required())
                    .put("description", given.description());
            parameter.set("schema", JSON.valueToTree(new TreeMap<>(given.schema())));
        }
        for (String in : List.of("header", "cookie")) {
            for (String name : route.parameterNames(in)) {
                ObjectNode parameter = parameters.addObject();
                parameter.put("name", name).put("in", in).put("required", false);
                parameter.putObject("schema").put("type", "string");
            }
        }
        if (parameters.isEmpty()) {
            operation.remove("parameters");
        }

        boolean takesBody = !route.consumes().isEmpty();
        described.flatMap(Operation::requestSchema).ifPresent(schema -> {
            ObjectNode body = operation.putObject("requestBody").put("required", true);
            String mediaType = route.consumes().isEmpty() ? "application/json" : route.consumes().get(0);
            body.putObject("content").putObject(mediaType).putObject("schema").put("$ref", schemaRef(schema));
        });

        ObjectNode responses = operation.putObject("responses");
        for (var answer : described.map(Operation::answers).orElse(List.of())) {
            ObjectNode response = responses.putObject(Integer.toString(answer.status()));
            response.put("description", answer.description());
            if (!answer.content().isEmpty()) {
                ObjectNode content = response.putObject("content");
                new TreeMap<>(answer.content()).forEach((mediaType, schema) -> content.putObject(mediaType)
                        .set("schema", Operation.Answer.FILE.equals(schema)
                                ? JSON.createObjectNode().put("type", "string").put("format", "binary")
                                : JSON.createObjectNode().put("$ref", schemaRef(schema))));
            }
        }
        if (responses.isEmpty()) {
            responses.putObject("default").put("description", NOT_DESCRIBED);
        }
        Set<Integer> refusals = new TreeSet<>(described.map(Operation::refusals).orElse(Set.of()));
        if (route.authenticated()) {
            refusals.addAll(List.of(401, 403, 429, 503));
        }
        if (!route.parameterNames("path").isEmpty() && !described.map(Operation::setsAtPath).orElse(false)) {
            refusals.add(404);
        }
        if (!query.isEmpty()) {
            refusals.add(400);
        }
        if (takesBody) {
            refusals.addAll(List.of(400, 413, 415, 422));
        }
        for (int status : refusals) {
            responses.putObject(Integer.toString(status))
                    .put("$ref", "#/components/responses/" + REFUSALS.get(status).name());
        }
        return operation;
    }

    /** The operation's words after the role its route requires, as {@code @RolesAllowed} names it. */
    private static String roleSentence(Route route, String words) {
        if (!route.authenticated()) {
            return words;
        }
        String role = "Role " + route.roles().stream().sorted().map(r -> "`" + r + "`").collect(Collectors.joining(", ")) + ".";
        return words.isEmpty() ? role : role + " " + words;
    }

    private static String fallbackId(Route route) {
        return route.method().toLowerCase(Locale.ROOT) + route.path().replaceAll("[^A-Za-z0-9]+", "_");
    }

    private static String schemaRef(String name) {
        return "#/components/schemas/" + name;
    }

    private static ObjectNode refusal(Refusal refusal) {
        ObjectNode response = JSON.createObjectNode();
        response.put("description", refusal.description());
        if (refusal.retryAfter()) {
            response.putObject("headers").putObject("Retry-After")
                    .put("description", "Whole seconds to wait before retrying.")
                    .putObject("schema").put("type", "integer");
        }
        response.putObject("content").putObject("application/json").putObject("schema")
                .put("$ref", schemaRef("Error"));
        return response;
    }

    private static ObjectNode schemas() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream("schemas.json")) {
            if (in == null) {
                throw new IllegalStateException("schemas.json is missing beside " + OpenApiDocument.class.getName());
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schemas.json", e);
        }
    }
}
