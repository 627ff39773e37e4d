package org.auditlog.query;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.auditlog.common.Rejection;

/**
 * Opaque cursors: the position of the last event of a page, the newest {@code seq} that existed when
 * the walk began (so later events never shift it), and a fingerprint of the tenant, filters and
 * order, all sealed with an HMAC. A cursor changed by a single bit, or used with other filters or by
 * another tenant, is refused with a 400.
 */
public final class CursorCodec {
    private static final int VERSION = 1;
    private static final int MAC_LENGTH = 16;
    private final SecretKeySpec key;

    public CursorCodec(byte[] secret) {
        this.key = new SecretKeySpec(requireNonNull(secret, "secret is null"), "HmacSHA256");
    }

    /** Where a page ended. */
    public record Cursor(Instant occurredAt, long seq, long snapshotSeq) {
    }

    public String encode(String scope, Cursor cursor) {
        ByteBuffer body = ByteBuffer.allocate(1 + 8 + 8 + 8);
        body.put((byte) VERSION).putLong(cursor.occurredAt().toEpochMilli()).putLong(cursor.seq())
                .putLong(cursor.snapshotSeq());
        byte[] payload = body.array();
        byte[] mac = Arrays.copyOf(mac(scope, payload), MAC_LENGTH);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(concat(payload, mac));
    }

    public Optional<Cursor> decode(String scope, String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (raw.length != 25 + MAC_LENGTH) {
            throw invalid();
        }
        byte[] payload = Arrays.copyOf(raw, 25);
        byte[] mac = Arrays.copyOfRange(raw, 25, raw.length);
        if (!MessageDigest.isEqual(mac, Arrays.copyOf(mac(scope, payload), MAC_LENGTH)) || payload[0] != VERSION) {
            throw invalid();
        }
        ByteBuffer body = ByteBuffer.wrap(payload, 1, 24);
        return Optional.of(new Cursor(Instant.ofEpochMilli(body.getLong()), body.getLong(), body.getLong()));
    }

    private byte[] mac(String scope, byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(scope.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static Rejection invalid() {
        return Rejection.badParameter("cursor",
                "is not a cursor this query returned (it was changed, or belongs to other filters or another tenant)");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
