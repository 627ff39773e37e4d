package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.auditlog.outbound.OutboundConfiguration;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** Every signed checkpoint also lands outside the database: in the checkpoint folder and at the webhook. */
class CheckpointPublishingTest {
    private static final TestApp APP = TestApp.get();

    private static Path folder() {
        return APP.dataDir().resolve("checkpoints");
    }

    /** A tenant with a few events, an admin key, and its newest checkpoint signed. */
    private record Signed(String tenant, String key, JsonNode checkpoint) {
        static Signed create(String hint) {
            String tenant = TestApp.newTenant(hint);
            String key = APP.createKey(tenant, "admin");
            return of(tenant, key);
        }

        static Signed of(String tenant, String key) {
            for (int i = 0; i < 3; i++) {
                APP.post("/api/v1/events", key, Map.of("action", "doc.view", "actor", Map.of("id", "u" + i)));
            }
            assertThat(APP.task("checkpoint").status()).isEqualTo(200);
            JsonNode newest = APP.get("/api/v1/integrity/checkpoints?limit=1", key).json().get("checkpoints").get(0);
            assertThat(newest.get("seq").asLong()).isEqualTo(TestApp.rows(
                    "select last_seq from chain_heads where tenant = ?", tenant).get(0).get("last_seq"));
            return new Signed(tenant, key, newest);
        }

        Path file(String extension) {
            return folder().resolve(tenant).resolve(String.format("%020d", checkpoint.get("seq").asLong()) + extension);
        }
    }

    private static long failures() {
        JsonNode counter = APP.get(APP.adminUrl() + "/metrics", null).json().get("counters")
                .get(CheckpointPublisher.FAILURES);
        return counter == null ? 0 : counter.get("count").asLong();
    }

    @Test
    void writesEachCheckpointAsFilesAnAuditorChecksWithTheJdkAndOpenssl() throws Exception {
        var signed = Signed.create("publish-files");
        JsonNode written = TestApp.JSON.readTree(Files.readAllBytes(signed.file(".json")));
        assertThat(written).isEqualTo(signed.checkpoint());
        assertThat(TestApp.JSON.writeValueAsString(written)).startsWith("{\"tenant\":");
        byte[] statement = Files.readAllBytes(signed.file(".statement"));
        byte[] signature = Files.readAllBytes(signed.file(".sig"));
        assertThat(new String(statement, StandardCharsets.UTF_8)).isEqualTo("{\"hash\":\"" + written.get("hash").asText()
                + "\",\"seq\":" + written.get("seq").asLong() + ",\"tenant\":\"" + signed.tenant() + "\",\"time\":\""
                + written.get("time").asText() + "\"}");
        assertThat(signature).hasSize(64).isEqualTo(Base64.getDecoder().decode(written.get("signature").asText()));

        // the public key as an auditor gets it: from the API
        String keyId = written.get("keyId").asText();
        JsonNode published = null;
        for (JsonNode key : APP.get("/api/v1/integrity/keys", signed.key()).json()) {
            if (key.get("keyId").asText().equals(keyId)) {
                published = key;
            }
        }
        assertThat(published).as("key %s is listed", keyId).isNotNull();
        byte[] der = Base64.getDecoder().decode(published.get("publicKey").asText());
        assertThat(SigningKeys.verify(SigningKeys.publicKey(der), statement, signature)).isTrue();
        byte[] altered = statement.clone();
        altered[10] ^= 1;
        assertThat(SigningKeys.verify(SigningKeys.publicKey(der), altered, signature)).isFalse();

        if (hasOpenssl()) {
            Path pem = Files.createTempFile("checkpoint-key", ".pem");
            Files.writeString(pem, Pem.write("PUBLIC KEY", der));
            assertThat(openssl(pem, signed.file(".statement"), signed.file(".sig"))).contains("Signature Verified Successfully");
            Path tampered = Files.createTempFile("tampered", ".statement");
            Files.write(tampered, altered);
            assertThat(openssl(pem, tampered, signed.file(".sig"))).contains("Signature Verification Failure");
        }
    }

    @Test
    void theWebhookGetsEachCheckpointAsTheFileHoldsIt() throws Exception {
        var signed = Signed.create("publish-webhook");
        String json = Files.readString(signed.file(".json"));
        TestApp.eventually("the webhook got the checkpoint", () -> TestApp.CHECKPOINT_RECEIVER.received().stream()
                .anyMatch(received -> received.body().equals(json)));
    }

    @Test
    void aFailedWriteKeepsTheCheckpointIsCountedAndIsRetriedAtTheNextRun() throws Exception {
        String tenant = TestApp.newTenant("publish-retry");
        String key = APP.createKey(tenant, "admin");
        // a file where the tenant's folder belongs: nothing can be written there
        Files.createDirectories(folder());
        Path blocker = Files.writeString(folder().resolve(tenant), "in the way");
        long before = failures();
        var signed = Signed.of(tenant, key);
        assertThat(failures()).isGreaterThan(before);
        assertThat(Files.isRegularFile(blocker)).isTrue();

        Files.delete(blocker);
        assertThat(APP.task("checkpoint").status()).isEqualTo(200);
        TestApp.eventually("the newest checkpoint is published", () -> Files.exists(signed.file(".json")));
        assertThat(TestApp.JSON.readTree(Files.readAllBytes(signed.file(".json")))).isEqualTo(signed.checkpoint());
    }

    @Test
    void aPublishedFileWithOtherContentsIsNeverOverwritten() throws Exception {
        var signed = Signed.create("publish-once");
        byte[] other = "{\"tenant\":\"someone else's history\"}".getBytes(StandardCharsets.UTF_8);
        Files.write(signed.file(".json"), other);
        long before = failures();
        assertThat(APP.task("checkpoint").status()).isEqualTo(200);
        assertThat(failures()).isGreaterThan(before);
        assertThat(Files.readAllBytes(signed.file(".json"))).isEqualTo(other);
        // a newer checkpoint is published as usual
        var next = Signed.of(signed.tenant(), signed.key());
        assertThat(TestApp.JSON.readTree(Files.readAllBytes(next.file(".json")))).isEqualTo(next.checkpoint());
    }

    @Test
    void aPublishUrlTheGuardRefusesStopsTheStartNamingTheKey() {
        OutboundGuard shipped = OutboundGuard.of(new OutboundConfiguration());
        assertThatThrownBy(() -> CheckpointPublisher.destination("http://127.0.0.1:8081/tasks/gc", shipped))
                .hasMessageContaining("integrity.publishUrl").hasMessageContaining("private address")
                .hasMessageContaining("outbound.allowedHosts");
        assertThatThrownBy(() -> CheckpointPublisher.destination("http://169.254.169.254/latest", shipped))
                .hasMessageContaining("integrity.publishUrl");
        assertThat(CheckpointPublisher.destination("https://93.184.215.14/hook", shipped)).isPresent();
        assertThat(CheckpointPublisher.destination("", shipped)).isEmpty();
    }

    @Test
    void tenantFolderNamesStayInsideTheFolder() {
        assertThat(CheckpointFolder.folderName("acme-1_x")).isEqualTo("acme-1_x");
        assertThat(CheckpointFolder.folderName("../etc")).isEqualTo("..%2Fetc");
        assertThat(CheckpointFolder.folderName("a/b\\c%d é")).isEqualTo("a%2Fb%5Cc%25d%20%C3%A9");
        assertThatThrownBy(() -> CheckpointFolder.folderName("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CheckpointFolder.folderName(".")).isInstanceOf(IllegalArgumentException.class);
        Path base = new CheckpointFolder(Path.of("/published"), TestApp.JSON).base("../../etc/passwd", 7);
        assertThat(base.normalize().startsWith(Path.of("/published"))).isTrue();
        assertThat(base.getFileName().toString()).isEqualTo("00000000000000000007");
    }

    private static boolean hasOpenssl() {
        try {
            Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static String openssl(Path publicKey, Path statement, Path signature) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                publicKey.toString(), "-rawin", "-in", statement.toString(), "-sigfile", signature.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
