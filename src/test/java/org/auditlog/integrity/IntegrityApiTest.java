package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IntegrityApiTest {
    private static final TestApp APP = TestApp.get();
    private static String tenant;
    private static String admin;

    @BeforeAll
    static void events() {
        tenant = TestApp.newTenant("integrity-api");
        admin = APP.createKey(tenant, "admin");
        for (int i = 0; i < 3; i++) {
            APP.post("/api/v1/events", admin, Map.of("action", "doc.view", "actor", Map.of("id", "u" + i)));
        }
    }

    @Test
    void theScheduledJobSignsACheckpointThatVerifiesWithOnlyThePublicKey() throws Exception {
        JsonNode checkpoint = waitForCheckpoint(tenant, 4);
        JsonNode key = null;
        for (JsonNode k : APP.get("/api/v1/integrity/keys", admin).json()) {
            if (k.get("keyId").asText().equals(checkpoint.get("keyId").asText())) {
                key = k;
            }
        }
        assertThat(key).as("the checkpoint's key is published").isNotNull();
        assertThat(key.get("algorithm").asText()).isEqualTo("Ed25519");

        // what docs/integrity.md says is signed, built by hand
        String statement = "{\"hash\":\"" + checkpoint.get("hash").asText() + "\",\"seq\":" + checkpoint.get("seq").asLong()
                + ",\"tenant\":\"" + tenant + "\",\"time\":\"" + checkpoint.get("time").asText() + "\"}";
        PublicKey publicKey = KeyFactory.getInstance("Ed25519")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(key.get("publicKey").asText())));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(publicKey);
        verifier.update(statement.getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(Base64.getDecoder().decode(checkpoint.get("signature").asText()))).isTrue();

        var row = TestApp.rows("select encode(hash, 'hex') as hash from audit_events where tenant = ? and seq = ?",
                tenant, checkpoint.get("seq").asLong());
        assertThat(row.get(0).get("hash")).isEqualTo(checkpoint.get("hash").asText());
    }

    @Test
    void aTamperedCheckpointDoesNotVerify() throws Exception {
        JsonNode checkpoint = waitForCheckpoint(tenant, 4);
        JsonNode key = APP.get("/api/v1/integrity/keys", admin).json().get(0);
        String statement = "{\"hash\":\"" + checkpoint.get("hash").asText() + "\",\"seq\":" + (checkpoint.get("seq").asLong() + 1)
                + ",\"tenant\":\"" + tenant + "\",\"time\":\"" + checkpoint.get("time").asText() + "\"}";
        PublicKey publicKey = SigningKeys.publicKey(Base64.getDecoder().decode(key.get("publicKey").asText()));
        assertThat(SigningKeys.verify(publicKey, statement.getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(checkpoint.get("signature").asText()))).isFalse();
    }

    @Test
    void checkpointsAreTheTenantsOwn() throws Exception {
        waitForCheckpoint(tenant, 4);
        String other = APP.createKey(TestApp.newTenant("integrity-other"), "auditor");
        var theirs = APP.get("/api/v1/integrity/checkpoints", other).json().get("checkpoints");
        theirs.forEach(c -> assertThat(c.get("tenant").asText()).isNotEqualTo(tenant));
    }

    @Test
    void rotationKeepsTheOldKeyListedSoOldSignaturesVerify() throws Exception {
        JsonNode before = waitForCheckpoint(tenant, 4);
        var rotated = APP.task("rotate-signing-key");
        assertThat(rotated.status()).isEqualTo(200);
        JsonNode keys = APP.get("/api/v1/integrity/keys", admin).json();
        assertThat(keys).anySatisfy(k -> {
            assertThat(k.get("keyId").asText()).isEqualTo(before.get("keyId").asText());
            assertThat(k.get("retiredAt").asText()).endsWith("Z");
        });
        assertThat(keys).anySatisfy(k -> assertThat(k.get("retiredAt").isNull()).isTrue());
        String newKeyId = rotated.body().trim().replaceAll(".* ", "");
        APP.post("/api/v1/events", admin, Map.of("action", "after.rotation", "actor", Map.of("id", "a")));
        JsonNode after = waitForCheckpoint(tenant, before.get("seq").asLong() + 1);
        assertThat(after.get("keyId").asText()).isEqualTo(newKeyId);
        assertThat(TestApp.rows("select 1 from signing_keys where key_id = ?", before.get("keyId").asText())).hasSize(1);
    }

    @Test
    void aKeyIdIsTheFingerprintOfThePublicKey() throws Exception {
        for (JsonNode key : APP.get("/api/v1/integrity/keys", admin).json()) {
            byte[] der = Base64.getDecoder().decode(key.get("publicKey").asText());
            String fingerprint = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der), 0, 16);
            assertThat(key.get("keyId").asText()).isEqualTo(fingerprint);
        }
    }

    @Test
    void badParametersAnswer400NamingThem() {
        for (String query : new String[] {"fromSeq=0", "fromSeq=abc", "toSeq=-1", "fromSeq=5&toSeq=2"}) {
            var reply = APP.get("/api/v1/integrity/verify?" + query, admin);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.json().get("details").get(0).get("field").asText()).isIn("fromSeq", "toSeq");
        }
        for (String limit : new String[] {"1001", "0", "ten"}) {
            var reply = APP.get("/api/v1/integrity/checkpoints?limit=" + limit, admin);
            assertThat(reply.status()).as(limit).isEqualTo(400);
            assertThat(reply.json().get("details").get(0).get("field").asText()).isEqualTo("limit");
            // the words every paged list uses
            assertThat(reply.json().get("details").get(0).get("error").asText())
                    .isEqualTo("must be a whole number from 1 to 1000");
        }
    }

    @Test
    void anIngestKeyCannotVerify() {
        String ingest = APP.createKey(tenant, "ingest");
        assertThat(APP.get("/api/v1/integrity/verify", ingest).status()).isEqualTo(403);
        assertThat(APP.get("/api/v1/integrity/verify", null).status()).isEqualTo(401);
    }

    @Test
    void verificationsAreRecordedInTheTenantsLog() {
        String auditor = APP.createKey(tenant, "auditor");
        APP.get("/api/v1/integrity/verify", auditor);
        var rows = TestApp.rows("select category, actor_type, metadata::text as metadata from audit_events "
                + "where tenant = ? and action = 'integrity.verified'", tenant);
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(0).get("category")).isEqualTo("audit_access");
        assertThat(rows.get(0).get("metadata").toString()).contains("\"ok\": true");
    }

    @Test
    void noPrivateKeyMaterialIsServed() throws Exception {
        String pem = java.nio.file.Files.readString(APP.dataDir().resolve("keys/signing-key.pem"));
        String privateBase64 = pem.substring(pem.indexOf("-----\n") + 6, pem.indexOf("\n-----END PRIVATE KEY"))
                .replace("\n", "");
        for (String path : new String[] {"/api/v1/integrity/keys", "/api/v1/integrity/checkpoints"}) {
            assertThat(APP.get(path, admin).body()).doesNotContain(privateBase64);
        }
        var permissions = java.nio.file.Files.getPosixFilePermissions(APP.dataDir().resolve("keys/signing-key.pem"));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(permissions)).isEqualTo("rw-------");
    }

    static JsonNode waitForCheckpoint(String tenant, long atLeastSeq) throws InterruptedException {
        String auditor = APP.createKey(tenant, "auditor");
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode list = APP.get("/api/v1/integrity/checkpoints", auditor).json().get("checkpoints");
            if (!list.isEmpty() && list.get(0).get("seq").asLong() >= atLeastSeq) {
                return list.get(0);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no checkpoint of " + tenant + " at seq " + atLeastSeq + " within 20 s");
    }
}
