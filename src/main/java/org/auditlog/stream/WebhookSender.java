package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.auditlog.outbound.OutboundHttpClient;
import org.auditlog.outbound.SignedWebhook;

/**
 * A {@code webhook} stream: one POST per batch, NDJSON (one formatted event a line), signed like alert
 * webhooks ({@code X-Audit-Signature}); any 2xx acknowledges the batch.
 */
final class WebhookSender implements StreamSender {
    private final OutboundHttpClient http;
    private final ObjectMapper mapper;

    WebhookSender(OutboundHttpClient http, ObjectMapper mapper) {
        this.http = requireNonNull(http, "http is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /** A webhook's {@code url} and its signing {@code secret} (answered). */
    static String settings(StreamDefinition.Settings given) {
        given.url("url", "the secret signs each batch");
        return given.secret("secret", 16);
    }

    @Override
    public Result send(Stream stream, List<Item> items) {
        StringBuilder body = new StringBuilder();
        items.forEach(item -> body.append(item.line()).append('\n'));
        String url = StreamSender.settings(stream, mapper).path("url").asText();
        SignedWebhook.Result result = SignedWebhook.post(http, URI.create(url), stream.secret(),
                body.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson", USER_AGENT);
        return result.ok() ? Result.acknowledged() : Result.retry(result.error());
    }
}
