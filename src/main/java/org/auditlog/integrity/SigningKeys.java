package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.List;
import org.auditlog.common.Digests;
import org.auditlog.common.OwnerOnlyFiles;
import org.auditlog.common.Timestamps;
import org.auditlog.database.ReadTimeout;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's Ed25519 signing key (the JDK's own provider). The private half stays in its file
 * (owner-only permissions) and in memory; the public half is registered in the database so every
 * instance lists it, and a rotated-out key stays listed so its old signatures still verify.
 */
public final class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    public static final String ALGORITHM = "Ed25519";

    /** The key in use, and the key file's state when it was read (to notice another instance's rotation). */
    private record Current(String keyId, PrivateKey privateKey, PublicKey publicKey, Object fileState) {
        Current withFileState(Object state) {
            return new Current(keyId, privateKey, publicKey, state);
        }
    }

    private final Path file;
    private final Jdbi jdbi;
    private volatile Current current;

    private SigningKeys(Path file, Jdbi jdbi, Current current) {
        this.file = file;
        this.jdbi = jdbi;
        this.current = current;
    }

    /** The key file: {@code configuredFile}, or {@code <dataDir>/keys/signing-key.pem} when none is configured. */
    public static Path file(String configuredFile, Path dataDir) {
        return configuredFile != null && !configuredFile.isBlank() ? Path.of(configuredFile)
                : dataDir.resolve("keys").resolve("signing-key.pem");
    }

    /**
     * The keys this service accepts signatures from: those in its signing-key folder, never those
     * the database lists (see {@link TrustedKeys}).
     */
    public TrustedKeys trusted() {
        return TrustedKeys.fromFolder(folder());
    }

    /** The folder of the key file, which instances of one deployment share. */
    public Path folder() {
        return requireNonNull(file.toAbsolutePath().getParent(), "key file has no folder");
    }

    /**
     * Loads the key from {@code configuredFile}, or, when none is configured, from
     * {@code <dataDir>/keys/signing-key.pem}, generating it there at first start.
     */
    public static SigningKeys load(String configuredFile, Path dataDir, Jdbi jdbi) {
        boolean configured = configuredFile != null && !configuredFile.isBlank();
        Path file = file(configuredFile, dataDir);
        try {
            Current key;
            if (Files.exists(file)) {
                key = read(file);
            } else if (configured) {
                throw new IllegalStateException("integrity.signingKeyFile " + file + " does not exist");
            } else {
                key = generate();
                write(file, key);
                LOG.info("generated signing key {} in {}", key.keyId(), file);
            }
            var keys = new SigningKeys(file, jdbi, key.withFileState(fileState(file)));
            keys.register(key);
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the signing key " + file, e);
        }
    }

    public String keyId() {
        return current().keyId();
    }

    /**
     * The current key, read again when its file changed since: an instance that rotates the key
     * replaces the file every instance of the deployment shares (an atomic move), so the others
     * sign with the new key from their next signature on. A stat per signature is all it costs.
     */
    private Current current() {
        Current key = current;
        Object state = fileState(file);
        if (state == null || state.equals(key.fileState())) {
            return key;
        }
        synchronized (this) {
            key = current;
            state = fileState(file);
            if (state == null || state.equals(key.fileState())) {
                return key;
            }
            try {
                Current fresh = read(file).withFileState(state);
                if (!fresh.keyId().equals(key.keyId())) {
                    register(fresh);
                    LOG.info("signing key file changed: signing with key {} (was {})", fresh.keyId(), key.keyId());
                }
                current = fresh;
                return fresh;
            } catch (IOException | RuntimeException e) {
                LOG.warn("signing key file {} changed but cannot be read yet ({}); still signing with {}", file,
                        e.getClass().getSimpleName(), key.keyId());
                return key;
            }
        }
    }

    /** What tells a replaced file from the one read: its file key (inode), modification time and size. */
    private static Object fileState(Path file) {
        try {
            var attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
            return List.of(String.valueOf(attributes.fileKey()), attributes.lastModifiedTime().toMillis(),
                    attributes.size());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * What was signed, with which key and the signature; the key is named because rotation can happen
     * between two calls, and the statement is kept because it may name its own key.
     */
    public record Signed(String keyId, byte[] statement, byte[] signature) {
        public String statementText() {
            return new String(statement, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public Signed signWithId(byte[] message) {
        return sign(keyId -> message);
    }

    /** Signs what {@code statement} makes of the signing key's id, so a statement can name its own key. */
    /**
     * Signs a detached manifest (an export's, a report's): adds {@code keyId}, then {@code signature},
     * the Ed25519 signature (base64) over the JCS (RFC 8785) form of the manifest without it. Answers
     * the manifest's text.
     */
    public String signManifest(com.fasterxml.jackson.databind.node.ObjectNode manifest) {
        Signed signed = sign(keyId -> {
            manifest.put("keyId", keyId);
            return CanonicalJson.utf8(manifest);
        });
        manifest.put("signature", java.util.Base64.getEncoder().encodeToString(signed.signature()));
        return manifest.toString();
    }

    public Signed sign(java.util.function.Function<String, byte[]> statement) {
        Current key = current();
        byte[] message = statement.apply(key.keyId());
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key.privateKey());
            signature.update(message);
            return new Signed(key.keyId(), message, signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    public List<PublicSigningKey> published() {
        return ReadTimeout.read(jdbi, SigningKeyDao.class, SigningKeyDao::list);
    }

    /** A new key replaces the current one; the old one is retired but stays published, and its file is kept. */
    public synchronized String rotate() {
        Current old = current();
        Current fresh = generate();
        try {
            Path retired = file.resolveSibling("retired");
            Files.createDirectories(retired);
            Files.copy(file, retired.resolve(old.keyId() + ".pem"), StandardCopyOption.REPLACE_EXISTING);
            write(file, fresh);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the new signing key " + file, e);
        }
        register(fresh);
        jdbi.useExtension(SigningKeyDao.class, dao -> dao.retire(old.keyId(), Timestamps.now()));
        current = fresh.withFileState(fileState(file));
        LOG.info("rotated signing key {} -> {}", old.keyId(), fresh.keyId());
        return fresh.keyId();
    }

    private void register(Current key) {
        jdbi.useExtension(SigningKeyDao.class,
                dao -> dao.register(key.keyId(), key.publicKey().getEncoded(), Timestamps.now()));
    }

    /** The key id: the first 16 bytes of the SHA-256 of the public key's SubjectPublicKeyInfo, in hex. */
    public static String keyIdOf(PublicKey key) {
        byte[] digest = Digests.sha256().digest(key.getEncoded());
        return HexFormat.of().formatHex(digest, 0, 16);
    }

    public static PublicKey publicKey(byte[] subjectPublicKeyInfo) throws GeneralSecurityException {
        return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(subjectPublicKeyInfo));
    }

    public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static Current generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            return new Current(keyIdOf(pair.getPublic()), pair.getPrivate(), pair.getPublic(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 17 runtime", e);
        }
    }

    private static Current read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        byte[] privateDer = null;
        byte[] publicDer = null;
        for (Pem.Block block : Pem.read(text)) {
            if (block.label().equals("PRIVATE KEY")) {
                privateDer = block.der();
            } else if (block.label().equals("PUBLIC KEY")) {
                publicDer = block.der();
            }
        }
        if (privateDer == null || publicDer == null) {
            throw new IllegalStateException("signing key file " + file
                    + " must hold an Ed25519 PRIVATE KEY and its PUBLIC KEY in PEM");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance(ALGORITHM);
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(privateDer));
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(publicDer));
            Current key = new Current(keyIdOf(publicKey), privateKey, publicKey, null);
            byte[] probe = "audit-service key check".getBytes(StandardCharsets.US_ASCII);
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(privateKey);
            signature.update(probe);
            if (!verify(publicKey, probe, signature.sign())) {
                throw new IllegalStateException("the PUBLIC KEY in " + file + " is not the PRIVATE KEY's");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key file " + file + " does not hold an Ed25519 key pair", e);
        }
    }

    private static void write(Path file, Current key) throws IOException {
        Path directory = requireNonNull(file.toAbsolutePath().getParent(), "key file has no folder");
        Files.createDirectories(directory);
        OwnerOnlyFiles.restrict(directory, "rwx------");
        OwnerOnlyFiles.write(file, Pem.write("PRIVATE KEY", key.privateKey().getEncoded())
                + Pem.write("PUBLIC KEY", key.publicKey().getEncoded()));
    }
}
