package org.auditlog.integrity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The public keys a verifier accepts signatures from. They come from files, never from the
 * database: someone who can write to the database can add a key to {@code signing_keys}, and a
 * checkpoint or receipt signed with it must not verify. The service trusts the keys in its
 * signing-key folder (the current key file, {@code retired/} and {@code trusted/}); the offline
 * {@code verify} command trusts the files given with {@code --public-key}.
 */
public final class TrustedKeys {
    private final Map<String, PublicKey> byId;

    private TrustedKeys(Map<String, PublicKey> byId) {
        this.byId = Map.copyOf(byId);
    }

    public static TrustedKeys of(Collection<PublicKey> keys) {
        Map<String, PublicKey> byId = new LinkedHashMap<>();
        keys.forEach(key -> byId.put(SigningKeys.keyIdOf(key), key));
        return new TrustedKeys(byId);
    }

    /** The Ed25519 {@code PUBLIC KEY} blocks of the given PEM files (other blocks are ignored). */
    public static TrustedKeys fromFiles(Collection<Path> files) {
        List<PublicKey> keys = new ArrayList<>();
        for (Path file : files) {
            keys.addAll(publicKeys(file));
        }
        return of(keys);
    }

    /**
     * The keys of a signing-key folder: every {@code *.pem} in it and in its {@code retired/} and
     * {@code trusted/} folders. Read afresh on each call, so a key rotated by another instance
     * sharing the folder is trusted as soon as its file is there.
     */
    public static TrustedKeys fromFolder(Path folder) {
        List<Path> files = new ArrayList<>();
        for (Path dir : List.of(folder, folder.resolve("retired"), folder.resolve("trusted"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> listing = Files.list(dir)) {
                listing.filter(p -> p.getFileName().toString().endsWith(".pem") && Files.isRegularFile(p))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the signing-key folder " + dir, e);
            }
        }
        return fromFiles(files);
    }

    private static List<PublicKey> publicKeys(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public key file " + file, e);
        }
        List<PublicKey> keys = new ArrayList<>();
        for (Pem.Block block : Pem.read(text)) {
            if (block.label().equals("PUBLIC KEY")) {
                try {
                    keys.add(SigningKeys.publicKey(block.der()));
                } catch (GeneralSecurityException e) {
                    // not an Ed25519 key: not one of ours
                }
            }
        }
        return keys;
    }

    public Set<String> keyIds() {
        return byId.keySet();
    }

    public Optional<PublicKey> key(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    /** Null when {@code signature} is {@code keyId}'s over {@code message}; otherwise what is wrong. */
    public String problem(String keyId, byte[] message, byte[] signature) {
        PublicKey key = keyId == null ? null : byId.get(keyId);
        if (key == null) {
            return "signed by key " + keyId + ", which is not a trusted key";
        }
        if (signature == null || !SigningKeys.verify(key, message, signature)) {
            return "signature does not verify with key " + keyId;
        }
        return null;
    }
}
