package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.auditlog.outbound.Mailer;
import org.auditlog.outbound.OutboundHttpClient;
import org.auditlog.outbound.PrivateDestinationException;

/**
 * Sends one alert notification to one channel, once: a webhook POST signed with the channel's
 * secret ({@code X-Audit-Signature: sha256=<hex HMAC-SHA256 of the body>}), or an e-mail through
 * the configured SMTP server ({@link Mailer}). Retries are the caller's. Webhooks go through the outbound client,
 * so a tenant's channel reaches no private address unless the configuration allows it.
 */
public final class ChannelSender {
    public static final String SIGNATURE_HEADER = "X-Audit-Signature";

    private final OutboundHttpClient http;
    private final Mailer mailer;
    private final ObjectMapper mapper;

    public ChannelSender(OutboundHttpClient http, Mailer mailer, ObjectMapper mapper) {
        this.http = requireNonNull(http, "http is null");
        this.mailer = requireNonNull(mailer, "mailer is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /** How an attempt went; {@code error} never holds the secret. */
    public record Result(boolean ok, Integer statusCode, String error) {
    }

    public Result send(Channel channel, String payload) {
        return channel.type().equals("webhook") ? webhook(channel, payload) : email(channel, payload);
    }

    private Result webhook(Channel channel, String payload) {
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", "audit-service-alerts");
        if (channel.secret() != null) {
            headers.put(SIGNATURE_HEADER, "sha256=" + hmac(channel.secret(), body));
        }
        try {
            int status = http.postJson(URI.create(channel.url()), headers, body);
            // a redirect is not followed: it could point anywhere, the service's own admin port included
            return status >= 200 && status < 300 ? new Result(true, status, null)
                    : new Result(false, status, "the webhook answered " + status);
        } catch (PrivateDestinationException e) {
            return new Result(false, null, "refused: the destination is a private address (see outbound.allowPrivateNetworks)");
        } catch (InterruptedIOException e) {
            return new Result(false, null, "no answer within " + http.timeout().toMillis() + " ms");
        } catch (IOException | IllegalArgumentException e) {
            return new Result(false, null, "could not reach the webhook: " + e.getClass().getSimpleName());
        }
    }

    private Result email(Channel channel, String payload) {
        try {
            JsonNode alert = mapper.readTree(payload);
            mailer.send(channel.to(), "[" + alert.path("severity").asText() + "] alert " + alert.path("state").asText()
                    + ": " + alert.path("rule").path("name").asText()
                    + (alert.path("group").path("key").asText().isEmpty() ? "" : " (" + alert.path("group").path("key").asText() + ")"),
                    mapper.writerWithDefaultPrettyPrinter().writeValueAsString(alert), List.of());
            return new Result(true, null, null);
        } catch (MessagingException | IOException e) {
            return new Result(false, null, "could not send the e-mail: " + e.getClass().getSimpleName());
        }
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
