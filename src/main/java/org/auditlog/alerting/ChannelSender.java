package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.auditlog.outbound.Mailer;
import org.auditlog.outbound.OutboundHttpClient;
import org.auditlog.outbound.SignedWebhook;

/**
 * Sends one alert notification to one channel, once: a webhook POST signed with the channel's
 * secret ({@code X-Audit-Signature: sha256=<hex HMAC-SHA256 of the body>}), or an e-mail through
 * the configured SMTP server ({@link Mailer}). Retries are the caller's. Webhooks go through the outbound client,
 * so a tenant's channel reaches no private address unless the configuration allows it.
 */
public final class ChannelSender {
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
        SignedWebhook.Result result = SignedWebhook.post(http, URI.create(channel.url()), channel.secret(),
                payload.getBytes(StandardCharsets.UTF_8), "application/json", "audit-service-alerts");
        return new Result(result.ok(), result.statusCode(), result.error());
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
}
