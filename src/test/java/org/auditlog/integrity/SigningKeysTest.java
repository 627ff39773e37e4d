package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.auditlog.database.Database;
import org.auditlog.support.TestApp;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class SigningKeysTest {
    private static final TestApp APP = TestApp.get();

    private static Jdbi jdbi() {
        return Database.standalone(APP.support().getConfiguration().getDatabase());
    }

    @Test
    void loadsAConfiguredKeyFileAndPublishesItsFingerprint() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path file = Files.createTempDirectory("configured-key").resolve("k.pem");
        Files.writeString(file, pem("PRIVATE KEY", pair.getPrivate().getEncoded()) + pem("PUBLIC KEY", pair.getPublic().getEncoded()));

        SigningKeys keys = SigningKeys.load(file.toString(), Path.of("unused"), jdbi());
        String fingerprint = java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(pair.getPublic().getEncoded()), 0, 16);
        assertThat(keys.keyId()).isEqualTo(fingerprint);
        assertThat(keys.published()).anySatisfy(k -> assertThat(k.keyId()).isEqualTo(fingerprint));
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);
        assertThat(SigningKeys.verify(pair.getPublic(), message, keys.signWithId(message).signature())).isTrue();
    }

    @Test
    void refusesAFileWhosePublicKeyIsNotItsPrivateKeys() throws Exception {
        KeyPair one = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair two = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path file = Files.createTempDirectory("mismatched-key").resolve("k.pem");
        Files.writeString(file, pem("PRIVATE KEY", one.getPrivate().getEncoded()) + pem("PUBLIC KEY", two.getPublic().getEncoded()));
        assertThatThrownBy(() -> SigningKeys.load(file.toString(), Path.of("unused"), jdbi()))
                .hasMessageContaining("not the PRIVATE KEY's");
    }

    @Test
    void refusesAConfiguredFileThatDoesNotExist() {
        assertThatThrownBy(() -> SigningKeys.load("/nonexistent/k.pem", Path.of("unused"), jdbi()))
                .hasMessageContaining("integrity.signingKeyFile");
    }

    @Test
    void generatesAKeyOnceAndLoadsTheSameOneAfter() throws Exception {
        Path dataDir = Files.createTempDirectory("generated-key");
        String first = SigningKeys.load("", dataDir, jdbi()).keyId();
        String second = SigningKeys.load("", dataDir, jdbi()).keyId();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aKeyRotatedByOneInstanceSignsOnEveryInstanceSharingTheFolder() throws Exception {
        Path dataDir = Files.createTempDirectory("shared-keys");
        SigningKeys first = SigningKeys.load("", dataDir, jdbi());
        SigningKeys second = SigningKeys.load("", dataDir, jdbi());
        String old = second.keyId();
        byte[] message = "statement".getBytes(StandardCharsets.UTF_8);
        String rotated = first.rotate();
        assertThat(rotated).isNotEqualTo(old);
        // the second instance's next signature is already the new key's
        var signed = second.signWithId(message);
        assertThat(signed.keyId()).isEqualTo(rotated);
        // and both keys are trusted by both, from the shared folder alone
        for (SigningKeys keys : java.util.List.of(first, second)) {
            assertThat(keys.trusted().keyIds()).contains(old, rotated);
            assertThat(keys.trusted().problem(rotated, message, signed.signature())).isNull();
        }
        assertThat(second.trusted().problem(old, message, signed.signature())).contains("does not verify");
        assertThat(second.trusted().problem("0123", message, signed.signature())).contains("not a trusted key");
    }

    @Test
    void theWorkedExampleOfTheDocumentVerifies() throws Exception {
        String document = Files.readString(Path.of("docs/integrity.md"));
        var publicKey = SigningKeys.publicKey(Base64.getDecoder().decode(value(document, "publicKey")));
        byte[] statement = value(document, "statement").getBytes(StandardCharsets.UTF_8);
        byte[] signature = Base64.getDecoder().decode(value(document, "signature"));
        assertThat(SigningKeys.verify(publicKey, statement, signature)).isTrue();
        assertThat(SigningKeys.keyIdOf(publicKey)).isEqualTo("e0077e0aee5fbbd08bb0dd6778e70ff9");
        // the statement is the one the service signs for those values
        var json = TestApp.JSON.readTree(statement);
        byte[] rebuilt = Checkpoint.statement(json.get("tenant").asText(), json.get("seq").asLong(),
                java.util.HexFormat.of().parseHex(json.get("hash").asText()),
                java.time.Instant.parse(json.get("time").asText()));
        assertThat(rebuilt).isEqualTo(statement);
    }

    private static String value(String document, String name) {
        Matcher m = Pattern.compile("```text\\n" + name + " = (.*)\\n```").matcher(document);
        assertThat(m.find()).as("docs/integrity.md has %s", name).isTrue();
        return m.group(1).trim();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
