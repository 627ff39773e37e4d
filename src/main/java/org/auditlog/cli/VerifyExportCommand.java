package org.auditlog.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.auditlog.export.ExportService;
import org.auditlog.integrity.SigningKeys;

/**
 * {@code verify-export --file F --manifest M --public-key K}: checks a downloaded export (or report) against its
 * manifest offline, with only the public key (its base64 from {@code GET /api/v1/integrity/keys}, or
 * a PEM file). Needs no configuration, database or server.
 */
public final class VerifyExportCommand extends Command {
    public VerifyExportCommand() {
        super("verify-export", "Checks an export or report file against its signed manifest, offline");
    }

    @Override
    public void configure(Subparser subparser) {
        subparser.addArgument("--file").required(true).help("the downloaded export file");
        subparser.addArgument("--manifest").required(true).help("the manifest JSON of the export");
        subparser.addArgument("--public-key").dest("publicKey").required(true)
                .help("the signing key: base64 of its SubjectPublicKeyInfo, or a PEM file");
    }

    @Override
    public void run(Bootstrap<?> bootstrap, Namespace namespace) throws Exception {
        ObjectMapper mapper = bootstrap.getObjectMapper();
        JsonNode read = mapper.readTree(Files.readString(Path.of(namespace.getString("manifest")), StandardCharsets.UTF_8));
        if (!(read instanceof ObjectNode manifest) || !manifest.hasNonNull("signature") || !manifest.hasNonNull("sha256")) {
            throw new IllegalArgumentException("the manifest is not an export's or a report's manifest");
        }
        PublicKey key = publicKey(namespace.getString("publicKey"));
        if (!SigningKeys.keyIdOf(key).equals(manifest.path("keyId").asText())) {
            throw new IllegalStateException("the manifest names key " + manifest.path("keyId").asText()
                    + ", not the key given (" + SigningKeys.keyIdOf(key) + ")");
        }
        byte[] signature = Base64.getDecoder().decode(manifest.get("signature").asText());
        ObjectNode unsigned = manifest.deepCopy();
        unsigned.remove("signature");
        if (!SigningKeys.verify(key, ExportService.canonical(unsigned), signature)) {
            throw new IllegalStateException("the manifest's signature does not verify: the manifest was changed");
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(Path.of(namespace.getString("file"))), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(manifest.get("sha256").asText())) {
            throw new IllegalStateException("the file's SHA-256 " + actual + " is not the manifest's: the file was changed");
        }
        String seqs = "seq " + manifest.path("firstSeq").asText() + " to " + manifest.path("lastSeq").asText();
        if (manifest.has("reportId")) {
            System.out.println("report " + manifest.path("reportId").asText() + " verified: \"" + manifest.path("title").asText()
                    + "\", " + manifest.path("from").asText() + " to " + manifest.path("to").asText() + ", as of seq "
                    + manifest.path("asOfSeq").asText() + ", " + seqs + ", sections " + manifest.path("sections")
                    + ", signed by key " + manifest.path("keyId").asText());
        } else {
            System.out.println("export " + manifest.path("exportId").asText() + " verified: "
                    + manifest.path("rowCount").asLong() + " events, " + seqs + ", signed by key "
                    + manifest.path("keyId").asText());
        }
    }

    private static PublicKey publicKey(String given) throws Exception {
        Path path = Path.of(given);
        String text = given;
        if (given.length() < 1024 && Files.isRegularFile(path)) {
            text = Files.readString(path, StandardCharsets.US_ASCII)
                    .replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "");
        }
        return SigningKeys.publicKey(Base64.getMimeDecoder().decode(text.trim()));
    }
}
