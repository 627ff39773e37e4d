package org.auditlog.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an integrator does with the document: generate a Java client from docs/openapi.json with openapi-generator
 * (its CLI, copied by the build into target/openapi-generator), compile it, and with it ingest an event and find
 * it again through the query API of the running service.
 */
class OpenApiClientTest {
    private static final TestApp APP = TestApp.get();
    private static final Path TOOLS = Path.of("target", "openapi-generator");

    /** Compiled with the generated client: ingests one event, queries it back and reads it by id. */
    private static final String CHECK = """
            package org.example.audit;

            import java.util.Map;
            import java.util.function.BiFunction;
            import org.example.audit.api.IngestApi;
            import org.example.audit.api.QueryApi;
            import org.example.audit.model.Actor;
            import org.example.audit.model.EventInput;
            import org.example.audit.model.Outcome;

            public final class ClientCheck implements BiFunction<String, String, String> {
                @Override
                public String apply(String baseUri, String key) {
                    ApiClient client = new ApiClient();
                    client.updateBaseUri(baseUri);
                    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
                    try {
                        var stored = new IngestApi(client).ingestEvent(new EventInput().action("document.export")
                                .actor(new Actor().id("alice")).outcome(Outcome.DENIED).metadata(Map.of("via", "client")));
                        var page = new QueryApi(client).searchEvents(null, null, "alice", null, "document.*", null,
                                "denied", null, null, null, null, 10, "desc", null);
                        var one = new QueryApi(client).getEvent(stored.getId());
                        return stored.getSeq() + " " + page.getEvents().get(0).getId().equals(stored.getId()) + " "
                                + one.getHash().equals(stored.getHash()) + " " + one.getOutcome() + " " + one.getMetadata();
                    } catch (ApiException e) {
                        throw new IllegalStateException(e.getCode() + " " + e.getResponseBody(), e);
                    }
                }
            }
            """;

    @Test
    void aGeneratedJavaClientIngestsAnEventAndQueriesItBack(@TempDir Path work) throws Exception {
        Path generated = work.resolve("client");
        var generator = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                TOOLS.resolve("openapi-generator-cli.jar").toString(), "generate", "-i", "docs/openapi.json",
                "-g", "java", "--library", "native", "-o", generated.toString(),
                "--api-package", "org.example.audit.api", "--model-package", "org.example.audit.model",
                "--invoker-package", "org.example.audit",
                // jakarta.annotation, which the service's classpath has, rather than javax.annotation
                "--additional-properties=useJakartaEe=true,hideGenerationTimestamp=true")
                .redirectErrorStream(true).redirectOutput(work.resolve("generator.log").toFile()).start();
        assertThat(generator.waitFor(120, TimeUnit.SECONDS)).as("the generator finished").isTrue();
        assertThat(generator.exitValue()).as(Files.readString(work.resolve("generator.log"))).isZero();

        Path sources = generated.resolve("src/main/java");
        Files.writeString(sources.resolve("org/example/audit/ClientCheck.java"), CHECK, StandardCharsets.UTF_8);
        List<File> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).toList();
        }
        Path classes = Files.createDirectories(work.resolve("classes"));
        List<String> classpath = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        classpath.add(TOOLS.resolve("jackson-databind-nullable.jar").toString());
        classpath.add(TOOLS.resolve("jsr305.jar").toString());
        var compiler = ToolProvider.getSystemJavaCompiler();
        var diagnostics = new DiagnosticCollector<JavaFileObject>();
        try (var fileManager = compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            boolean compiled = compiler.getTask(null, fileManager, diagnostics,
                    List.of("-d", classes.toString(), "-cp", String.join(File.pathSeparator, classpath), "-nowarn",
                            "-proc:none"),
                    null, fileManager.getJavaFileObjectsFromFiles(files)).call();
            assertThat(compiled).as("the generated client compiles: %s", diagnostics.getDiagnostics()).isTrue();
        }

        String key = APP.createKey(TestApp.newTenant("openapi-client"), "admin");
        try (var loader = new URLClassLoader(new URL[] {classes.toUri().toURL(),
                TOOLS.resolve("jackson-databind-nullable.jar").toUri().toURL(),
                TOOLS.resolve("jsr305.jar").toUri().toURL()}, getClass().getClassLoader())) {
            @SuppressWarnings("unchecked")
            var check = (BiFunction<String, String, String>) loader.loadClass("org.example.audit.ClientCheck")
                    .getDeclaredConstructor().newInstance();
            // seq 1 is the key's own api_key.created; the client's event is the next
            assertThat(check.apply(APP.baseUrl(), key)).isEqualTo("2 true true denied {via=client}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
