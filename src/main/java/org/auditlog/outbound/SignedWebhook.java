package org.auditlog.outbound;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One POST of a body to a webhook a tenant (or the operator) named, signed with its secret:
 * {@code X-Audit-Signature: sha256=<hex HMAC-SHA256 of the body>}. Alert channels and SIEM streams
 * send through it, so both sign alike and describe a failure alike, never with the secret in it.
 */
public final class SignedWebhook {
    public static final String SIGNATURE_HEADER = "X-Audit-Signature";

    private SignedWebhook() {
    }

    /** How an attempt went; {@code error} never holds the secret. */
    public record Result(boolean ok, Integer statusCode, String error) {
    }

    /** POSTs {@code body} as {@code contentType}, signed when {@code secret} is not null; answers how it went. */
    public static Result post(OutboundHttpClient http, URI url, String secret, byte[] body, String contentType,
                              String userAgent) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", userAgent);
        if (secret != null) {
            headers.put(SIGNATURE_HEADER, signature(secret, body));
        }
        try {
            int status = http.post(url, headers, body, contentType);
            // a redirect is not followed: it could point anywhere, the service's own admin port included
            return status >= 200 && status < 300 ? new Result(true, status, null)
                    : new Result(false, status, "the webhook answered " + status);
        } catch (IOException | IllegalArgumentException e) {
            return new Result(false, null, http.failure(e, "webhook"));
        }
    }

    /** The header's value for {@code body}: {@code sha256=} and the hex HMAC-SHA256 under {@code secret}. */
    public static String signature(String secret, byte[] body) {
        return "sha256=" + hmac(secret, body);
    }

    public static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
