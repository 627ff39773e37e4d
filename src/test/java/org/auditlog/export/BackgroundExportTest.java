package org.auditlog.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.support.TestApp;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BackgroundExportTest {
    private static final TestApp APP = TestApp.get();
    private static String tenant;
    private static String key;

    @BeforeAll
    static void events() {
        tenant = TestApp.newTenant("bg-export");
        key = APP.createKey(tenant, "ingest", "auditor");
        for (int i = 0; i < 5; i++) {
            APP.post("/api/v1/events", key, Map.of("action", i < 3 ? "file.read" : "file.write", "actor", Map.of("id", "u" + i)));
        }
    }

    static JsonNode finished(String key, String id) {
        JsonNode[] status = new JsonNode[1];
        TestApp.eventually("export " + id + " finishes", () -> {
            status[0] = APP.get("/api/v1/exports/" + id, key).json();
            return !status[0].get("status").asText().equals("queued") && !status[0].get("status").asText().equals("running");
        });
        return status[0];
    }

    static String request(String key, Object body) {
        var reply = APP.post("/api/v1/exports", key, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.json().get("status").asText()).isEqualTo("queued");
        return reply.json().get("id").asText();
    }

    @Test
    void runsAsAJobAndServesTheFileWithASignedManifest() throws Exception {
        String id = request(key, Map.of("format", "csv", "filters", Map.of("action", "file.read")));
        JsonNode status = finished(key, id);
        assertThat(status.get("status").asText()).isEqualTo("done");
        assertThat(status.get("rowCount").asLong()).isEqualTo(3);
        assertThat(status.get("createdBy").asText()).startsWith("key:");
        assertThat(status.get("createdAt").asText()).endsWith("Z");
        assertThat(status.get("completedAt").asText()).endsWith("Z");
        assertThat(status.get("error").isNull()).isTrue();

        var download = APP.get("/api/v1/exports/" + id + "/download", key);
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.header("Content-Disposition")).isEqualTo("attachment; filename=\"audit-" + tenant + "-" + id + ".csv\"");
        byte[] file = download.body().getBytes(StandardCharsets.UTF_8);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(file)))
                .isEqualTo(status.get("sha256").asText());
        assertThat(Rfc4180.parse(download.body())).hasSize(4);

        ObjectNode manifest = (ObjectNode) APP.get("/api/v1/exports/" + id + "/manifest", key).json();
        assertThat(manifest.fieldNames()).toIterable().containsExactlyInAnyOrder("exportId", "tenant", "format", "filters",
                "rowCount", "firstSeq", "lastSeq", "sha256", "createdAt", "keyId", "signature");
        assertThat(manifest.get("exportId").asText()).isEqualTo(id);
        assertThat(manifest.get("tenant").asText()).isEqualTo(tenant);
        assertThat(manifest.get("filters").get("action").asText()).isEqualTo("file.read");
        assertThat(manifest.get("rowCount").asLong()).isEqualTo(3);
        assertThat(manifest.get("lastSeq").asLong() - manifest.get("firstSeq").asLong()).isEqualTo(2);
        assertThat(manifest.get("sha256").asText()).isEqualTo(status.get("sha256").asText());

        // the signature verifies with only the published public key and java.security
        JsonNode publicKey = null;
        for (JsonNode k : APP.get("/api/v1/integrity/keys", key).json()) {
            if (k.get("keyId").asText().equals(manifest.get("keyId").asText())) {
                publicKey = k;
            }
        }
        assertThat(publicKey).isNotNull();
        ObjectNode unsigned = manifest.deepCopy();
        byte[] signature = Base64.getDecoder().decode(unsigned.remove("signature").asText());
        assertThat(SigningKeys.verify(SigningKeys.publicKey(Base64.getDecoder().decode(publicKey.get("publicKey").asText())),
                new JsonCanonicalizer(unsigned.toString()).getEncodedUTF8(), signature)).isTrue();
    }

    @Test
    void verifyExportAcceptsTheFilesAndRefusesAFlippedByteOrAnEditedManifest() throws Exception {
        String id = request(key, Map.of("format", "ndjson", "filters", Map.of()));
        finished(key, id);
        Path folder = Files.createTempDirectory("verify-export");
        Path file = folder.resolve("export.ndjson");
        Path manifestFile = folder.resolve("manifest.json");
        Files.writeString(file, APP.get("/api/v1/exports/" + id + "/download", key).body());
        String manifest = APP.get("/api/v1/exports/" + id + "/manifest", key).body();
        Files.writeString(manifestFile, manifest);
        String keyId = TestApp.JSON.readTree(manifest).get("keyId").asText();
        String publicKey = null;
        for (JsonNode k : APP.get("/api/v1/integrity/keys", key).json()) {
            if (k.get("keyId").asText().equals(keyId)) {
                publicKey = k.get("publicKey").asText();
            }
        }
        String[] args = {"verify-export", "--file", file.toString(), "--manifest", manifestFile.toString(), "--public-key", publicKey};
        assertThat(TestApp.command(args)).contains("verified");

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        assertThatThrownBy(() -> TestApp.command(args)).hasStackTraceContaining("the file was changed");
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);
        assertThat(TestApp.command(args)).contains("verified");

        int digit = manifest.indexOf("\"rowCount\":") + "\"rowCount\":".length();
        char changed = manifest.charAt(digit) == '9' ? '8' : (char) (manifest.charAt(digit) + 1);
        Files.writeString(manifestFile, manifest.substring(0, digit) + changed + manifest.substring(digit + 1));
        assertThatThrownBy(() -> TestApp.command(args)).hasStackTraceContaining("the manifest was changed");
    }

    @Test
    void aFailedExportSaysWhy() throws Exception {
        String failing = TestApp.newTenant("bg-export-fail");
        String failingKey = APP.createKey(failing, "auditor");
        Files.createDirectories(APP.dataDir().resolve("exports"));
        Files.writeString(APP.dataDir().resolve("exports").resolve(failing), "a file where the tenant's folder would go");
        String id = request(failingKey, Map.of("format", "json"));
        JsonNode status = finished(failingKey, id);
        assertThat(status.get("status").asText()).isEqualTo("failed");
        assertThat(status.get("error").asText()).isEqualTo("the export file could not be written");
        assertThat(APP.get("/api/v1/exports/" + id + "/download", failingKey).status()).isEqualTo(409);
    }

    @Test
    void filesExpireThroughTheCleanupJob() {
        String id = request(key, Map.of("format", "json", "filters", Map.of("action", "file.write")));
        finished(key, id);
        assertThat(APP.get("/api/v1/exports/" + id + "/download", key).status()).isEqualTo(200);
        TestApp.tamper("update exports set expires_at = now() - interval '1 second' where id = '" + id + "'");
        TestApp.eventually("the cleanup job deletes the file",
                () -> APP.get("/api/v1/exports/" + id + "/download", key).status() == 410);
        assertThat(APP.get("/api/v1/exports/" + id, key).json().get("status").asText()).isEqualTo("done");
    }

    @Test
    void badRequestsAnswer422NamingTheField() {
        var format = APP.post("/api/v1/exports", key, Map.of("format", "xlsx"));
        assertThat(format.status()).isEqualTo(422);
        assertThat(format.json().get("details").get(0).get("field").asText()).isEqualTo("format");
        var filter = APP.post("/api/v1/exports", key, Map.of("format", "csv", "filters", Map.of("from", "soon")));
        assertThat(filter.status()).isEqualTo(422);
        assertThat(filter.json().get("details").get(0).get("field").asText()).isEqualTo("filters.from");
        var unknown = APP.post("/api/v1/exports", key, Map.of("format", "csv", "filters", Map.of("colour", "red")));
        assertThat(unknown.json().get("details").get(0).get("field").asText()).isEqualTo("filters.colour");
        var extra = APP.post("/api/v1/exports", key, Map.of("format", "csv", "when", "now"));
        assertThat(extra.json().get("details").get(0).get("field").asText()).isEqualTo("when");
    }

    @Test
    void anotherTenantsExportIsNotFound() {
        String id = request(key, Map.of("format", "csv"));
        finished(key, id);
        String other = APP.createKey(TestApp.newTenant("bg-export-other"), "auditor");
        for (String path : List.of("", "/download", "/manifest")) {
            var reply = APP.get("/api/v1/exports/" + id + path, other);
            assertThat(reply.status()).as(path).isEqualTo(404);
        }
        assertThat(APP.get("/api/v1/exports/not-an-id", other).status()).isEqualTo(404);
    }

    @Test
    void requestsAreRecordedInTheTenantsLog() {
        String id = request(key, Map.of("format", "csv"));
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'export.requested' "
                + "and resource_id = ?", tenant, id)).hasSize(1);
    }
}
