package org.auditlog.integrity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.auditlog.event.AuditEvent;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * The chain's hash, as docs/integrity.md defines it: {@code SHA-256(prevHash || JCS(event))}, where the
 * event is its API JSON form without {@code prevHash} and {@code hash}, canonicalized by RFC 8785.
 */
public final class EventHasher {
    public static final byte[] GENESIS = new byte[32];
    private final ObjectMapper mapper;

    public EventHasher(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public byte[] canonicalBytes(AuditEvent event) {
        ObjectNode json = mapper.valueToTree(event);
        json.remove("prevHash");
        json.remove("hash");
        try {
            return new JsonCanonicalizer(mapper.writeValueAsString(json)).getEncodedUTF8();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event cannot be written as JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] hash(AuditEvent event) {
        MessageDigest digest = sha256();
        digest.update(event.prevHashBytes());
        digest.update(canonicalBytes(event));
        return digest.digest();
    }

    /** The event with its hash filled in. */
    public AuditEvent seal(AuditEvent event) {
        return event.withHash(hash(event));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
