package org.auditlog.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.auditlog.filter.FilterParser;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the code and the service: it is served without a key, it is a valid OpenAPI 3.1
 * document, docs/openapi.json is the same document, it lists every route of the resources with their parameters
 * and nothing else, and each operation's statuses are those the service gives and docs/api.md names.
 */
class OpenApiTest {
    private static final TestApp APP = TestApp.get();
    private static final java.nio.file.Path DOCS_COPY = java.nio.file.Path.of("docs", "openapi.json");
    private static final String REWRITE = "openapi.write";
    private static final Map<String, Declared> DECLARED = declared();
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    /** One operation of the document, and the statuses and parameters it names. */
    private record Documented(String key, JsonNode operation) {
        Set<Integer> statuses() {
            Set<Integer> statuses = new TreeSet<>();
            operation.get("responses").fieldNames().forEachRemaining(s -> statuses.add(Integer.parseInt(s)));
            return statuses;
        }

        Set<String> parameters(String in) {
            Set<String> names = new TreeSet<>();
            operation.path("parameters").forEach(p -> {
                if (p.get("in").asText().equals(in)) {
                    names.add(p.get("name").asText());
                }
            });
            return names;
        }

        List<String> roles() {
            List<String> roles = new ArrayList<>();
            operation.path("x-roles").forEach(r -> roles.add(r.asText()));
            return roles;
        }

        boolean secured() {
            return !operation.get("security").isEmpty();
        }

        String method() {
            return key.substring(0, key.indexOf(' '));
        }

        String path() {
            return key.substring(key.indexOf(' ') + 1);
        }
    }

    /** A route as the Java code declares it, read by reflection from the {@code @Path} classes of the service. */
    private record Declared(String key, Set<String> path, Set<String> query, Set<String> header,
                            boolean readsQueryItself) {
    }

    private static TestApp.Reply served() {
        return APP.get(OpenApiFeature.PATH, null);
    }

    private static JsonNode document() {
        return served().json();
    }

    private static Map<String, Documented> documented() {
        Map<String, Documented> operations = new TreeMap<>();
        document().get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (HTTP_METHODS.contains(op.getKey())) {
                String key = op.getKey().toUpperCase() + " " + path.getKey();
                operations.put(key, new Documented(key, op.getValue()));
            }
        }));
        return operations;
    }

    private static Map<String, Declared> declared() {
        Map<String, Declared> routes = new TreeMap<>();
        var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.auditlog");
        for (JavaClass type : classes) {
            if (!type.isAnnotatedWith(Path.class)) {
                continue;
            }
            Class<?> resource = type.reflect();
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = join(base, sub == null ? "" : sub.value());
                if (!path.startsWith("/api/")) {
                    continue;
                }
                Set<String> pathParameters = new TreeSet<>();
                Set<String> query = new TreeSet<>();
                Set<String> header = new TreeSet<>();
                for (Annotation[] annotations : method.getParameterAnnotations()) {
                    for (Annotation annotation : annotations) {
                        if (annotation instanceof PathParam p) {
                            pathParameters.add(p.value());
                        } else if (annotation instanceof QueryParam q) {
                            query.add(q.value());
                        } else if (annotation instanceof HeaderParam h) {
                            header.add(h.value());
                        }
                    }
                }
                String key = httpMethod + " " + path;
                boolean readsQueryItself = List.of(method.getParameterTypes()).contains(UriInfo.class);
                assertThat(routes.put(key, new Declared(key, pathParameters, query, header, readsQueryItself)))
                        .as("two Java methods serve %s", key).isNull();
            }
        }
        return routes;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String base, String sub) {
        String joined = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + (sub.isEmpty() || sub.startsWith("/") ? sub : "/" + sub);
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    @Test
    void isServedToAnyoneAsJson() {
        var reply = served();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.header("X-Request-Id")).isNotBlank();
        assertThat(reply.json().get("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void isAValidOpenApi31DocumentForTheStandardParser() {
        var options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        var result = new OpenAPIV3Parser().readContents(served().body(), null, options);
        assertThat(result.getMessages()).as("what the parser found wrong").isEmpty();
        assertThat(result.getOpenAPI().getSpecVersion()).hasToString("V31");
        assertThat(result.getOpenAPI().getPaths()).hasSizeGreaterThan(30);
    }

    /**
     * docs/openapi.json is what the service serves. Run this test with {@code -Dopenapi.write=true} to write the
     * served document there after changing a route or the description.
     */
    @Test
    void theCopyInDocsIsTheServedDocument() throws IOException {
        String served = served().body();
        if (Boolean.getBoolean(REWRITE)) {
            Files.writeString(DOCS_COPY, served, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(DOCS_COPY, StandardCharsets.UTF_8))
                .as("docs/openapi.json differs from GET /api/openapi.json; rewrite it with: mvn -B -q verify "
                        + "-Dtest=OpenApiTest -Dsurefire.failIfNoSpecifiedTests=false -DskipITs -D" + REWRITE + "=true")
                .isEqualTo(served);
    }

    @Test
    void listsEveryRouteOfTheResourcesAndNoOther() {
        assertThat(documented().keySet()).as("the document's operations against the Java methods that serve /api")
                .containsExactlyInAnyOrderElementsOf(DECLARED.keySet());
    }

    @Test
    void describesEveryOperation() {
        Set<String> operationIds = new HashSet<>();
        for (Documented operation : documented().values()) {
            assertThat(operation.operation().get("description").asText()).as(operation.key())
                    .isNotEqualTo(OpenApiDocument.NOT_DESCRIBED);
            operation.operation().path("parameters").forEach(p -> assertThat(p.path("description").asText())
                    .as("%s parameter %s", operation.key(), p.get("name")).isNotEqualTo(OpenApiDocument.NOT_DESCRIBED));
            assertThat(operationIds.add(operation.operation().get("operationId").asText()))
                    .as("operationId of %s is unique", operation.key()).isTrue();
        }
        document().get("tags").forEach(tag -> assertThat(tag.path("description").asText())
                .as("words for the tag %s", tag.get("name")).isNotBlank());
        assertThat(Operations.ALL.keySet()).as("operations described but not served")
                .isSubsetOf(documented().keySet());
        assertThat(Operations.FILTERS).extracting(Operation.QueryParameter::name)
                .containsExactlyInAnyOrderElementsOf(FilterParser.FILTERS);
    }

    @Test
    void namesEveryDeclaredParameterAndOnlyQueryParametersTheOperationReads() {
        for (Documented operation : documented().values()) {
            Declared code = DECLARED.get(operation.key());
            assertThat(operation.parameters("path")).as("path parameters of %s", operation.key())
                    .containsExactlyInAnyOrderElementsOf(code.path());
            assertThat(operation.parameters("header")).as("header parameters of %s", operation.key())
                    .containsExactlyInAnyOrderElementsOf(code.header());
            if (!code.readsQueryItself()) {
                assertThat(operation.parameters("query")).as("query parameters of %s", operation.key())
                        .containsExactlyInAnyOrderElementsOf(code.query());
            } else {
                assertThat(operation.parameters("query")).as("query parameters of %s", operation.key())
                        .containsAll(code.query());
            }
        }
    }

    /** Whether the Java method reads its query string whole (from {@code UriInfo}), refusing names it does not know. */
    private static boolean readsQueryItself(Documented operation) {
        return DECLARED.get(operation.key()).readsQueryItself();
    }

    /**
     * The operations that read their whole query string are held to the document by asking the service: a name
     * the document does not list is refused with a 400 naming it, and each name it lists is not refused as unknown.
     */
    @Test
    void operationsThatReadTheirQueryAcceptExactlyTheDocumentedParameters() {
        String tenant = TestApp.newTenant("openapi-query");
        String admin = APP.createKey(tenant, "admin");
        for (Documented operation : documented().values()) {
            if (!operation.method().equals("GET") || !readsQueryItself(operation)) {
                continue;
            }
            String path = withIds(operation.path());
            Set<String> documentedHere = operation.parameters("query");
            Set<String> elsewhere = new TreeSet<>(FilterParser.FILTERS);
            elsewhere.add("notDocumented");
            documented().values().forEach(other -> elsewhere.addAll(other.parameters("query")));
            elsewhere.removeAll(documentedHere);
            for (String name : elsewhere) {
                var unknown = APP.get(path + "?" + name + "=1" + required(operation), admin);
                assertThat(unknown.status()).as("%s?%s=1, not in the document: %s", operation.key(), name, unknown)
                        .isEqualTo(400);
                assertThat(unknown.json().get("details").get(0).get("field").asText()).isEqualTo(name);
            }
            operation.operation().path("parameters").forEach(parameter -> {
                if (!parameter.get("in").asText().equals("query")) {
                    return;
                }
                String name = parameter.get("name").asText();
                String query = "?" + name + "=" + URLEncoder.encode(example(parameter.get("schema")), StandardCharsets.UTF_8)
                        + (parameter.get("required").asBoolean() ? "" : required(operation));
                var reply = APP.get(path + query, admin);
                assertThat(reply.status()).as("%s%s: %s", operation.key(), query, reply).isIn(200, 400);
                if (reply.status() == 400) {
                    assertThat(reply.body()).as("%s%s", operation.key(), query).doesNotContain("unknown parameter");
                }
            });
            var meta = APP.get(path + "?meta.k=v" + required(operation), admin);
            if (operation.operation().get("description").asText().contains("meta.<key>")) {
                assertThat(meta.status()).as("%s?meta.k=v: %s", operation.key(), meta).isEqualTo(200);
            } else {
                assertThat(meta.status()).as("%s?meta.k=v: %s", operation.key(), meta).isEqualTo(400);
            }
        }
    }

    private static String required(Documented operation) {
        StringBuilder query = new StringBuilder();
        operation.operation().path("parameters").forEach(p -> {
            if (p.get("in").asText().equals("query") && p.get("required").asBoolean()) {
                query.append('&').append(p.get("name").asText()).append('=').append(example(p.get("schema")));
            }
        });
        return query.toString();
    }

    private static String example(JsonNode schema) {
        if (schema.has("enum")) {
            return schema.get("enum").get(0).asText();
        }
        if (schema.has("default")) {
            return schema.get("default").asText();
        }
        return switch (schema.path("type").asText()) {
            case "integer" -> schema.path("minimum").asText("1");
            case "boolean" -> "true";
            default -> switch (schema.path("format").asText()) {
                case "date-time" -> "2026-01-01T00:00:00Z";
                case "uuid" -> UUID.randomUUID().toString();
                default -> "x";
            };
        };
    }

    private static String withIds(String path) {
        return path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    /**
     * Every operation that the document secures answers 401 without a key and 403 with a key of a role it does not
     * name, and lists both; the one it does not secure answers without a key. A key lacking the role: an
     * {@code ingest} key for {@code auditor}, an {@code auditor} key for {@code admin} and {@code ingest}.
     */
    @Test
    void securedOperationsRefuseNoKeyAndAKeyWithoutTheirRole() {
        String tenant = TestApp.newTenant("openapi-roles");
        Map<String, String> lacking = Map.of("auditor", APP.createKey(tenant, "ingest"),
                "admin", APP.createKey(tenant, "auditor"), "ingest", APP.createKey(tenant, "auditor"));
        for (Documented operation : documented().values()) {
            if (!operation.secured()) {
                assertThat(operation.roles()).as(operation.key()).isEmpty();
                assertThat(call(operation, null).status()).as(operation.key()).isNotIn(401, 403);
                continue;
            }
            assertThat(operation.roles()).as("roles of %s", operation.key()).hasSize(1);
            assertThat(operation.statuses()).as(operation.key()).contains(401, 403, 429, 503);
            var noKey = call(operation, null);
            assertThat(noKey.status()).as("%s without a key: %s", operation.key(), noKey).isEqualTo(401);
            var wrongRole = call(operation, lacking.get(operation.roles().get(0)));
            assertThat(wrongRole.status()).as("%s without role %s: %s", operation.key(), operation.roles(), wrongRole)
                    .isEqualTo(403);
        }
    }

    private static TestApp.Reply call(Documented operation, String key) {
        var request = APP.request(withIds(operation.path()), key);
        var body = operation.operation().has("requestBody")
                ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody();
        if (operation.operation().has("requestBody")) {
            request.header("Content-Type", "application/json");
        }
        // a connection of its own: the service may close one after refusing a body it did not read
        try {
            var response = HttpClient.newHttpClient().send(request.method(operation.method(), body).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new TestApp.Reply(response.statusCode(), response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(operation.key(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** With ids no one has, every operation without a body answers 404 exactly when the document lists 404. */
    @Test
    void unknownIdsAnswer404WhereTheDocumentSaysSo() {
        String admin = APP.createKey(TestApp.newTenant("openapi-ids"), "admin");
        for (Documented operation : documented().values()) {
            if (operation.parameters("path").isEmpty() || operation.operation().has("requestBody")) {
                continue;
            }
            var request = APP.request(withIds(operation.path()) + required(operation).replaceFirst("^&", "?"), admin);
            var reply = APP.send(request.method(operation.method(), HttpRequest.BodyPublishers.noBody()));
            if (operation.statuses().contains(404)) {
                assertThat(reply.status()).as("%s with an unknown id: %s", operation.key(), reply).isEqualTo(404);
            } else {
                assertThat(reply.status()).as("%s with an unknown id: %s", operation.key(), reply).isNotEqualTo(404);
            }
        }
    }

    @Test
    void everyOperationListsTheStatusesItsShapeImplies() {
        for (Documented operation : documented().values()) {
            Set<Integer> statuses = operation.statuses();
            assertThat(statuses).as("%s succeeds somehow", operation.key()).anyMatch(s -> s >= 200 && s < 300);
            if (!operation.parameters("path").isEmpty() && !operation.method().equals("PUT")) {
                assertThat(statuses).as("%s has an id in its path", operation.key()).contains(404);
            }
            if (!operation.parameters("query").isEmpty()) {
                assertThat(statuses).as("%s takes query parameters", operation.key()).contains(400);
            }
            if (operation.operation().has("requestBody")) {
                assertThat(statuses).as("%s takes a body", operation.key()).contains(400, 413, 415, 422);
            }
        }
    }

    /**
     * Each status docs/api.md names under an operation's heading (or the contract's bold success codes there) is
     * one the document lists for the operations of that heading.
     */
    @Test
    void everyStatusDocsApiMdNamesForAnOperationIsInTheDocument() throws IOException {
        var operations = documented();
        Pattern route = Pattern.compile("`(GET|PUT|POST|DELETE|PATCH)((?:\\|(?:GET|PUT|POST|DELETE))*) (/api/[^`?\\s]*)[^`]*`");
        // a status in bold (**201**), or any 4xx or 5xx: a plain 200 may be a count ("1 to 200 characters")
        Pattern status = Pattern.compile("\\*\\*([245]\\d\\d)\\*\\*|(?<![\\d.,\\-–])\\b(4[0-3]\\d|50[0-4])\\b(?![\\d.,\\-–%])");
        List<String> sections = List.of(Files.readString(java.nio.file.Path.of("docs", "api.md")).split("\n(?=### )"));
        int checked = 0;
        for (String section : sections) {
            if (!section.startsWith("### ")) {
                continue;
            }
            String heading = section.substring(0, section.indexOf('\n'));
            Set<String> keys = new TreeSet<>();
            Matcher routes = route.matcher(heading);
            while (routes.find()) {
                for (String method : (routes.group(1) + routes.group(2)).split("\\|")) {
                    keys.add(method + " " + routes.group(3));
                }
            }
            if (keys.isEmpty()) {
                continue;
            }
            Set<Integer> listed = new TreeSet<>();
            for (String key : keys) {
                assertThat(operations).as("docs/api.md names %s", key).containsKey(key);
                listed.addAll(operations.get(key).statuses());
            }
            Matcher named = status.matcher(section.substring(heading.length()));
            while (named.find()) {
                int code = Integer.parseInt(named.group(1) != null ? named.group(1) : named.group(2));
                assertThat(listed).as("docs/api.md names %d under %s", code, heading).contains(code);
                checked++;
            }
        }
        assertThat(checked).as("statuses found in docs/api.md").isGreaterThan(30);
    }
}
