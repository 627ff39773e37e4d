package org.auditlog.integrity;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Base64;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.reflect.ColumnName;

/** A public key as published: {@code publicKey} is the base64 of the X.509 SubjectPublicKeyInfo (DER). */
@JsonPropertyOrder({"keyId", "algorithm", "publicKey", "createdAt", "retiredAt"})
public record PublicSigningKey(
        @ColumnName("key_id") String keyId,
        String algorithm,
        @JsonIgnore @ColumnName("public_key") byte[] publicKeyDer,
        @JsonIgnore @ColumnName("created_at") Instant createdAtInstant,
        @JsonIgnore @ColumnName("retired_at") Instant retiredAtInstant) {

    @JsonProperty("publicKey")
    public String publicKey() {
        return Base64.getEncoder().encodeToString(publicKeyDer);
    }

    @JsonProperty("createdAt")
    public String createdAt() {
        return Timestamps.format(createdAtInstant);
    }

    @JsonProperty("retiredAt")
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public String retiredAt() {
        return retiredAtInstant == null ? null : Timestamps.format(retiredAtInstant);
    }
}
