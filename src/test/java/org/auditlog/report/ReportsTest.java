package org.auditlog.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reports through real HTTP: asked for, made, read back with pdftotext as an auditor would, and checked. */
class ReportsTest {
    private static final TestApp APP = TestApp.get();
    private static final String FROM = "2026-03-01T00:00:00Z";
    private static final String TO = "2026-03-08T00:00:00Z";
    private static String tenant;
    private static String auditor;
    private static String ingest;

    @BeforeAll
    static void seed() {
        tenant = TestApp.newTenant("report");
        auditor = APP.createKey(tenant, "auditor");
        ingest = APP.createKey(tenant, "ingest");
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String day = "2026-03-0" + (1 + i % 7);
            String time = day + "T" + String.format("%02d", 8 + i % 10) + ":15:00Z";
            if (i % 4 == 0) {
                events.add(Map.of("action", "user.login", "category", "authentication", "occurredAt", time,
                        "outcome", i % 8 == 0 ? "failure" : "success",
                        "actor", Map.of("id", i % 8 == 0 ? "mallory" : "alice"),
                        "source", Map.of("ip", i % 8 == 0 ? "198.51.100.66" : "203.0.113.5")));
            } else if (i % 4 == 1) {
                events.add(Map.of("action", "role.granted", "category", "admin", "occurredAt", time,
                        "actor", Map.of("id", "root-admin"), "resource", Map.of("type", "user", "id", "u" + i),
                        "changes", Map.of("before", Map.of("role", "viewer"), "after", Map.of("role", "admin"))));
            } else if (i % 4 == 2) {
                events.add(Map.of("action", "document.read", "category", "data_access", "occurredAt", time,
                        "actor", Map.of("id", "bob"), "resource", Map.of("type", "document", "id", "d" + i)));
            } else {
                events.add(Map.of("action", "report.exported", "category", "data_access", "occurredAt", time,
                        "actor", Map.of("id", "carol"), "metadata", Map.of("rowCount", "250")));
            }
        }
        // outside the period: never counted
        events.add(Map.of("action", "user.login", "category", "authentication", "occurredAt", "2026-02-28T23:59:59Z",
                "outcome", "failure", "actor", Map.of("id", "mallory")));
        events.add(Map.of("action", "user.login", "category", "authentication", "occurredAt", TO,
                "outcome", "failure", "actor", Map.of("id", "mallory")));
        assertThat(APP.post("/api/v1/events/batch", ingest, Map.of("events", events)).status()).isEqualTo(201);
    }

    private static String request(Map<String, Object> body) {
        var reply = APP.post("/api/v1/reports", auditor, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.json().get("status").asText()).isIn("queued", "running", "done");
        return reply.json().get("id").asText();
    }

    private static JsonNode done(String id) {
        TestApp.eventually("the report is done", () -> !APP.get("/api/v1/reports/" + id, auditor).json()
                .get("status").asText().matches("queued|running"));
        JsonNode status = APP.get("/api/v1/reports/" + id, auditor).json();
        assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("done");
        return status;
    }

    private static byte[] download(String id) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(APP.baseUrl() + "/api/v1/reports/" + id + "/download"))
                .header("Authorization", "Bearer " + auditor).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/pdf");
        return response.body();
    }

    static String pdftotext(Path pdf) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("pdftotext", "-layout", pdf.toString(), "-").redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(text).isZero();
        return text;
    }

    @Test
    void aReportHoldsEverySectionAndCountsThatEqualTheApisStatistics() throws Exception {
        String id = request(Map.of("from", FROM, "to", TO, "title", "March access review"));
        JsonNode status = done(id);
        assertThat(status.get("pageCount").asInt()).isGreaterThan(5);
        byte[] pdf = download(id);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf)))
                .isEqualTo(status.get("sha256").asText());
        Path file = Files.createTempFile("report", ".pdf");
        Files.write(file, pdf);
        String text = pdftotext(file);
        assertThat(text).contains("March access review", tenant, FROM.substring(0, 10), "Summary", "Authentication",
                "Privileged activity", "Data access and exports", "Retention", "Alerts", "Integrity evidence",
                "Appendix for the auditor", "Review and sign-off", "Query: select");
        JsonNode stats = APP.get("/api/v1/events/stats?groupBy=outcome&from=" + FROM + "&to=" + TO, auditor).json();
        long total = stats.get("total").asLong();
        assertThat(total).isEqualTo(120);
        String flat = text.replaceAll("\\s+", " ");
        assertThat(flat).contains("Events " + total);
        for (JsonNode bucket : stats.get("buckets")) {
            assertThat(flat).contains("Outcome " + bucket.get("key").asText() + " " + bucket.get("count").asLong());
        }
        // the privileged list is complete: every role change of the period, by seq
        assertThat(flat.split("role.granted", -1).length - 1).isGreaterThanOrEqualTo(30);
        assertThat(flat).contains("mallory 15").contains("198.51.100.66 15").contains("Result verified");

        JsonNode manifest = APP.get("/api/v1/reports/" + id + "/manifest", auditor).json();
        assertThat(manifest.get("reportId").asText()).isEqualTo(id);
        assertThat(manifest.get("tenant").asText()).isEqualTo(tenant);
        assertThat(manifest.get("title").asText()).isEqualTo("March access review");
        assertThat(manifest.get("from").asText()).isEqualTo("2026-03-01T00:00:00.000Z");
        assertThat(manifest.get("sections").get("summary").asLong()).isEqualTo(total);
        assertThat(manifest.get("sections").get("privileged").asLong()).isEqualTo(30);
        assertThat(manifest.get("sections").get("authentication").asLong()).isEqualTo(15);
        assertThat(manifest.get("sha256").asText()).isEqualTo(status.get("sha256").asText());
        for (String field : List.of("asOfSeq", "filters", "firstSeq", "lastSeq", "createdAt", "keyId", "signature")) {
            assertThat(manifest.has(field)).as(field).isTrue();
        }
    }

    @Test
    void theManifestVerifiesTheFileAndATamperedPdfFails() throws Exception {
        String id = request(Map.of("from", FROM, "to", TO));
        done(id);
        Path folder = Files.createTempDirectory("verify-report");
        Path file = folder.resolve("report.pdf");
        Path manifestFile = folder.resolve("manifest.json");
        Files.write(file, download(id));
        String manifest = APP.get("/api/v1/reports/" + id + "/manifest", auditor).body();
        Files.writeString(manifestFile, manifest);
        String keyId = TestApp.JSON.readTree(manifest).get("keyId").asText();
        String publicKey = null;
        for (JsonNode k : APP.get("/api/v1/integrity/keys", auditor).json()) {
            if (k.get("keyId").asText().equals(keyId)) {
                publicKey = k.get("publicKey").asText();
            }
        }
        String[] args = {"verify-export", "--file", file.toString(), "--manifest", manifestFile.toString(),
                "--public-key", publicKey};
        assertThat(TestApp.command(args)).contains("report " + id + " verified");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 3] ^= 0x01;
        Files.write(file, bytes);
        assertThatThrownBy(() -> TestApp.command(args)).hasStackTraceContaining("the file was changed");
    }

    @Test
    void theManifestChecksWithOpensslAsDocsIntegrityShows() throws Exception {
        String id = request(Map.of("from", FROM, "to", TO, "title", "Prüfbericht März"));
        done(id);
        Path folder = Files.createTempDirectory("openssl-report");
        Files.write(folder.resolve("report.pdf"), download(id));
        String manifest = APP.get("/api/v1/reports/" + id + "/manifest", auditor).body();
        Files.writeString(folder.resolve("manifest.json"), manifest);
        String keyId = TestApp.JSON.readTree(manifest).get("keyId").asText();
        for (JsonNode k : APP.get("/api/v1/integrity/keys", auditor).json()) {
            if (k.get("keyId").asText().equals(keyId)) {
                sh(folder, "echo '" + k.get("publicKey").asText() + "' | base64 -d | openssl pkey -pubin -inform DER -out pub.pem");
            }
        }
        String document = Files.readString(Path.of("docs/integrity.md"));
        var block = java.util.regex.Pattern.compile("<!-- manifest-check -->\n```sh\n(.*?)\n```",
                java.util.regex.Pattern.DOTALL).matcher(document);
        assertThat(block.find()).as("docs/integrity.md holds the manifest check").isTrue();
        String check = block.group(1);
        assertThat(sh(folder, check)).contains("Signature Verified Successfully", "the file is the one the manifest signs");
        Files.writeString(folder.resolve("manifest.json"), manifest.replace("Prüfbericht März", "Prüfbericht April"));
        assertThat(sh(folder, check)).doesNotContain("Signature Verified Successfully");
    }

    private static String sh(Path folder, String script) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", script).directory(folder.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    @Test
    void theSameAsOfSeqGivesTheSameCountsThoughLateEventsArrive() {
        String from = "2026-04-01T00:00:00Z";
        String to = "2026-04-08T00:00:00Z";
        for (int i = 1; i <= 3; i++) {
            assertThat(APP.post("/api/v1/events", ingest, Map.of("action", "user.login", "category", "authentication",
                    "occurredAt", "2026-04-0" + i + "T12:00:00Z", "outcome", "failure", "actor", Map.of("id", "eve")))
                    .status()).isEqualTo(201);
        }
        Map<String, Object> filters = Map.of("category", "authentication");
        String first = request(Map.of("from", from, "to", to, "filters", filters));
        done(first);
        long asOfSeq = APP.get("/api/v1/reports/" + first, auditor).json().get("asOfSeq").asLong();
        // a late event of the period
        assertThat(APP.post("/api/v1/events", ingest, Map.of("action", "user.login", "category", "authentication",
                "occurredAt", "2026-04-03T13:00:00Z", "outcome", "failure", "actor", Map.of("id", "eve")))
                .status()).isEqualTo(201);
        String again = request(Map.of("from", from, "to", to, "filters", filters, "asOfSeq", asOfSeq));
        done(again);
        String now = request(Map.of("from", from, "to", to, "filters", filters));
        done(now);
        JsonNode a = APP.get("/api/v1/reports/" + first + "/manifest", auditor).json().get("sections");
        JsonNode b = APP.get("/api/v1/reports/" + again + "/manifest", auditor).json().get("sections");
        JsonNode c = APP.get("/api/v1/reports/" + now + "/manifest", auditor).json().get("sections");
        assertThat(a.get("summary").asLong()).isEqualTo(3);
        assertThat(b).isEqualTo(a);
        assertThat(c.get("summary").asLong()).isEqualTo(4);
    }

    @Test
    void reportsAreListedNewestFirstAndPaged() {
        String older = request(Map.of("from", FROM, "to", TO, "title", "older"));
        String newer = request(Map.of("from", FROM, "to", TO, "title", "newer"));
        JsonNode page = APP.get("/api/v1/reports?limit=1", auditor).json();
        assertThat(page.get("reports")).hasSize(1);
        assertThat(page.get("reports").get(0).get("id").asText()).isEqualTo(newer);
        String cursor = page.get("nextCursor").asText();
        JsonNode next = APP.get("/api/v1/reports?limit=1&cursor=" + cursor, auditor).json();
        assertThat(next.get("reports").get(0).get("id").asText()).isEqualTo(older);
        assertThat(APP.get("/api/v1/reports?limit=0", auditor).status()).isEqualTo(400);
        assertThat(APP.get("/api/v1/reports?cursor=nonsense", auditor).status()).isEqualTo(400);
    }

    @Test
    void anotherTenantsReportIsNotFoundAndRequestsAndDownloadsAreRecorded() throws Exception {
        String id = request(Map.of("from", FROM, "to", TO));
        done(id);
        String other = APP.createKey(TestApp.newTenant("other"), "auditor");
        assertThat(APP.get("/api/v1/reports/" + id, other).status()).isEqualTo(404);
        assertThat(APP.get("/api/v1/reports/" + id + "/download", other).status()).isEqualTo(404);
        assertThat(APP.get("/api/v1/reports/" + id + "/manifest", other).status()).isEqualTo(404);
        download(id);
        TestApp.eventually("the request and the download are recorded", () -> TestApp.rows(
                "select action from audit_events where tenant = ? and resource_id = ? and action like 'report.%'",
                tenant, id).size() == 2);
        assertThat(APP.get("/api/v1/reports", APP.createKey(tenant, "ingest")).status()).isEqualTo(403);
    }

    @Test
    void aBadRequestNamesTheField() {
        var missing = APP.post("/api/v1/reports", auditor, Map.of("to", TO));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body()).contains("\"from\"");
        var backwards = APP.post("/api/v1/reports", auditor, Map.of("from", TO, "to", FROM));
        assertThat(backwards.status()).isEqualTo(422);
        var periodInFilters = APP.post("/api/v1/reports", auditor, Map.of("from", FROM, "to", TO,
                "filters", Map.of("from", FROM)));
        assertThat(periodInFilters.status()).isEqualTo(422);
        assertThat(periodInFilters.body()).contains("filters");
        var badFilter = APP.post("/api/v1/reports", auditor, Map.of("from", FROM, "to", TO,
                "filters", Map.of("outcome", "loud")));
        assertThat(badFilter.status()).isEqualTo(422);
        assertThat(badFilter.body()).contains("filters.outcome");
        var future = APP.post("/api/v1/reports", auditor, Map.of("from", FROM, "to", TO, "asOfSeq", 999_999_999));
        assertThat(future.status()).isEqualTo(422);
        assertThat(future.body()).contains("asOfSeq");
        var notDone = APP.get("/api/v1/reports/" + request(Map.of("from", FROM, "to", TO)) + "/download", auditor);
        assertThat(notDone.status()).isIn(200, 409);
        assertThat(APP.get("/api/v1/reports/not-an-id", auditor).status()).isEqualTo(404);
    }
}
