package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/**
 * A signed statement that {@code tenant}'s chain had {@code hash} at {@code seq} at {@code time}.
 * The signature covers {@link #statement}; see docs/integrity.md.
 */
@JsonPropertyOrder({"tenant", "seq", "hash", "time", "keyId", "signature"})
public record Checkpoint(
        String tenant,
        long seq,
        @JsonIgnore @ColumnName("hash") byte[] hashBytes,
        @JsonIgnore @ColumnName("signed_at") Instant signedAt,
        @ColumnName("key_id") String keyId,
        @JsonIgnore @ColumnName("signature") byte[] signatureBytes) {
    public Checkpoint {
        requireNonNull(tenant, "tenant is null");
        requireNonNull(hashBytes, "hash is null");
        requireNonNull(signedAt, "signedAt is null");
        requireNonNull(keyId, "keyId is null");
        requireNonNull(signatureBytes, "signature is null");
    }

    /**
     * What a checkpoint's signature covers: the JCS (RFC 8785) form of
     * {@code {"hash": <hex>, "seq": <n>, "tenant": <tenant>, "time": <UTC millis>}} in UTF-8.
     */
    public static byte[] statement(String tenant, long seq, byte[] hash, Instant time) {
        ObjectNode statement = JsonNodeFactory.instance.objectNode();
        statement.put("tenant", tenant);
        statement.put("seq", seq);
        statement.put("hash", HexFormat.of().formatHex(hash));
        statement.put("time", Timestamps.format(time));
        return CanonicalJson.utf8(statement);
    }

    /** The bytes this checkpoint's signature covers. */
    public byte[] statement() {
        return statement(tenant, seq, hashBytes, signedAt);
    }

    @JsonProperty("hash")
    public String hash() {
        return HexFormat.of().formatHex(hashBytes);
    }

    @JsonProperty("time")
    public String time() {
        return Timestamps.format(signedAt);
    }

    @JsonProperty("signature")
    public String signature() {
        return Base64.getEncoder().encodeToString(signatureBytes);
    }
}
