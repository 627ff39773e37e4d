package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.Counter;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.auditlog.common.Timestamps;
import org.auditlog.event.AuditEvent;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code verify --checkpoint}: a checkpoint an auditor kept outside the database catches a chain that
 * someone with write access to the database rewrote completely, re-signing its checkpoints with a key
 * of their own, even when they could add that key to the trusted ones too.
 */
class KeptCheckpointsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static String url;
    private static Jdbi jdbi;
    private static Path dataDir;
    private static SigningKeys keys;
    private static Path trueKey;

    @BeforeAll
    static void scratchDatabase() throws Exception {
        String purpose = "kept" + UUID.randomUUID().toString().substring(0, 8);
        jdbi = TestDatabase.get().migratedScratch(purpose);
        url = TestDatabase.get().url() + "_" + purpose;
        dataDir = Files.createTempDirectory("kept-checkpoints");
        keys = SigningKeys.load("", dataDir, jdbi);
        trueKey = publicKeyFile(keys.trusted().key(keys.keyId()).orElseThrow().getEncoded());
    }

    /** A tenant of the scratch database with a key (seq 1) and five events, its head signed; answers the kept file. */
    private static Path signedChain(String tenant) throws Exception {
        TestApp.createKey(jdbi, tenant, "admin");
        new ChainWriter(jdbi, new EventHasher(TestApp.JSON)).append(tenant,
                IntStream.range(0, 5).mapToObj(i -> TestApp.draft("doc.view", "general", 0)).toList());
        var folder = new CheckpointFolder(dataDir.resolve("checkpoints"), TestApp.JSON);
        new CheckpointService(jdbi, keys, new CheckpointPublisher(folder, Optional.empty(), new Counter())).checkpointAll();
        Path published = folder.base(tenant, 6).resolveSibling("00000000000000000006.json");
        assertThat(published).exists();
        // the auditor's own copy, somewhere the database's writers cannot reach
        Path kept = Files.createTempDirectory("auditor").resolve(tenant + "-6.json");
        Files.copy(published, kept);
        return kept;
    }

    private static String verify(String tenant, String... options) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("verify", "config.yml", "--tenant", tenant));
        args.addAll(List.of(options));
        return TestApp.command(Map.of("database.url", url, "dataDir", dataDir.toString()), args.toArray(String[]::new));
    }

    /** The command's result among what else the run printed (log lines of the application in this JVM). */
    private static JsonNode result(String output) throws Exception {
        for (String line : output.split("\n")) {
            if (line.startsWith("{\"ok\":")) {
                return TestApp.JSON.readTree(line);
            }
        }
        throw new AssertionError("no result in: " + output);
    }

    private static Path publicKeyFile(byte[] der) throws Exception {
        Path file = Files.createTempFile("public-key", ".pem");
        Files.writeString(file, Pem.write("PUBLIC KEY", der));
        return file;
    }

    private static String bytea(byte[] bytes) {
        return "'\\x" + HEX.formatHex(bytes) + "'";
    }

    /**
     * What someone who can write to the database does to change history unnoticed: changes a field of
     * seq 3, recomputes every hash after it, and re-signs the checkpoint at seq 6 with a key of their
     * own, which they list in signing_keys. Answers that key.
     */
    private static KeyPair rewriteHistory(String tenant) throws Exception {
        String where = " where tenant = '" + tenant + "' and seq = ";
        TestApp.tamperAt(url, "update audit_events set actor_id = 'mallory'" + where + 3);
        var hasher = new EventHasher(TestApp.JSON);
        byte[] hash = null;
        for (long seq = 3; seq <= 6; seq++) {
            long at = seq;
            AuditEvent event = jdbi.inTransaction(h -> h.attach(VerificationDao.class).events(tenant, at, at).one());
            hash = hasher.hash(event);
            TestApp.tamperAt(url, "update audit_events set hash = " + bytea(hash) + where + seq,
                    "update audit_events set prev_hash = " + bytea(hash) + where + (seq + 1));
        }
        KeyPair forged = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String keyId = SigningKeys.keyIdOf(forged.getPublic());
        Instant time = Timestamps.now();
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(forged.getPrivate());
        signer.update(Checkpoint.statement(tenant, 6, hash, time));
        TestApp.tamperAt(url,
                "update chain_heads set last_hash = " + bytea(hash) + " where tenant = '" + tenant + "'",
                "insert into signing_keys (key_id, algorithm, public_key, created_at) values ('" + keyId
                        + "', 'Ed25519', " + bytea(forged.getPublic().getEncoded()) + ", now())",
                "update checkpoints set hash = " + bytea(hash) + ", signed_at = '" + time + "', key_id = '" + keyId
                        + "', signature = " + bytea(signer.sign()) + where + 6);
        return forged;
    }

    @Test
    void aKeptCheckpointAgreesWithAnUntouchedChain() throws Exception {
        String tenant = TestApp.newTenant("kept-intact");
        Path kept = signedChain(tenant);
        JsonNode output = result(verify(tenant, "--public-key", trueKey.toString(),
                "--checkpoint", kept.toString()));
        assertThat(output.get("ok").asBoolean()).isTrue();
        assertThat(output.get("checked").asLong()).isEqualTo(6);
        JsonNode result = output.get("keptCheckpoints").get(0);
        assertThat(result.get("file").asText()).isEqualTo(kept.toString());
        assertThat(result.get("seq").asLong()).isEqualTo(6);
        assertThat(result.get("ok").asBoolean()).isTrue();
        assertThat(result.has("reason")).isFalse();
        // without kept checkpoints the output is the chain's result alone, as before
        assertThat(result(verify(tenant, "--public-key", trueKey.toString())).has("keptCheckpoints"))
                .isFalse();
    }

    @Test
    void aRewrittenChainIsCaughtByTheTrueKeyAndStillByAKeptCheckpointWhenTheForgersKeyIsTrustedToo()
            throws Exception {
        String tenant = TestApp.newTenant("kept-forged");
        Path kept = signedChain(tenant);
        KeyPair forged = rewriteHistory(tenant);
        String forgedId = SigningKeys.keyIdOf(forged.getPublic());

        // every hash links: only the checkpoint's signature gives the rewrite away
        assertThatThrownBy(() -> verify(tenant, "--public-key", trueKey.toString()))
                .hasStackTraceContaining("broken at seq 6").hasStackTraceContaining(forgedId)
                .hasStackTraceContaining("not a trusted key");

        // the forger controls the key folder too: their key is trusted, and the database alone verifies
        Path forgedKey = publicKeyFile(forged.getPublic().getEncoded());
        String both = result(verify(tenant, "--public-key", trueKey.toString(),
                "--public-key", forgedKey.toString())).get("ok").asText();
        assertThat(both).isEqualTo("true");

        // the checkpoint kept outside still tells
        assertThatThrownBy(() -> verify(tenant, "--public-key", trueKey.toString(), "--public-key",
                forgedKey.toString(), "--checkpoint", kept.toString()))
                .hasStackTraceContaining(kept.toString())
                .hasStackTraceContaining("the database's hash at seq 6 differs from the kept checkpoint's")
                .hasStackTraceContaining("\"keptCheckpoints\":[{\"file\":\"" + kept + "\",\"seq\":6,\"ok\":false");
    }

    @Test
    void aKeptCheckpointSignedByAnUntrustedKeyFailsNamingItsFile() throws Exception {
        String tenant = TestApp.newTenant("kept-untrusted");
        signedChain(tenant);
        KeyPair forged = rewriteHistory(tenant);
        // the forger hands the auditor a checkpoint of the rewritten chain
        Checkpoint forgedCheckpoint = jdbi.withExtension(CheckpointDao.class, dao -> dao.newest(tenant, 1)).get(0);
        Path handed = Files.createTempFile("handed", ".json");
        Files.write(handed, TestApp.JSON.writeValueAsBytes(forgedCheckpoint));
        assertThatThrownBy(() -> verify(tenant, "--public-key", trueKey.toString(), "--checkpoint", handed.toString()))
                .hasStackTraceContaining("kept checkpoint " + handed + ": the kept checkpoint is signed by key "
                        + SigningKeys.keyIdOf(forged.getPublic()) + ", which is not a trusted key");
    }

    @Test
    void aKeptCheckpointBeyondTheDatabasesHeadIsAFailure() throws Exception {
        String tenant = TestApp.newTenant("kept-truncated");
        Path kept = signedChain(tenant);
        // the end of the chain and its checkpoint removed, the head moved back: the database alone cannot tell
        byte[] hashAt4 = jdbi.withExtension(VerificationDao.class, dao -> dao.hashAt(tenant, 4)).orElseThrow();
        TestApp.tamperAt(url, "delete from audit_events where tenant = '" + tenant + "' and seq > 4",
                "delete from checkpoints where tenant = '" + tenant + "'",
                "update chain_heads set last_seq = 4, last_hash = " + bytea(hashAt4) + " where tenant = '" + tenant + "'");
        assertThat(result(verify(tenant, "--public-key", trueKey.toString())).get("ok").asBoolean())
                .isTrue();
        assertThatThrownBy(() -> verify(tenant, "--public-key", trueKey.toString(), "--checkpoint", kept.toString()))
                .hasStackTraceContaining("the database's chain does not reach the kept checkpoint at seq 6");
    }

    @Test
    void aKeptCheckpointOfAnotherTenantOrNotACheckpointIsAFailure() throws Exception {
        String tenant = TestApp.newTenant("kept-mine");
        String other = TestApp.newTenant("kept-theirs");
        signedChain(tenant);
        Path theirs = signedChain(other);
        assertThatThrownBy(() -> verify(tenant, "--public-key", trueKey.toString(), "--checkpoint", theirs.toString()))
                .hasStackTraceContaining("the kept checkpoint is tenant " + other + "'s, not " + tenant + "'s");
        Path junk = Files.writeString(Files.createTempFile("junk", ".json"), "{\"tenant\":\"" + tenant + "\"}");
        assertThatThrownBy(() -> verify(tenant, "--public-key", trueKey.toString(), "--checkpoint", junk.toString()))
                .hasStackTraceContaining(junk + ": is not a checkpoint");
        assertThatThrownBy(() -> verify(tenant, "--checkpoint", "/nonexistent/kept.json"))
                .hasStackTraceContaining("--checkpoint /nonexistent/kept.json is not a readable file");
    }
}
