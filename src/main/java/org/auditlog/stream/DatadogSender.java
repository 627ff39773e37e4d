package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.auditlog.outbound.OutboundHttpClient;

/**
 * A {@code datadog} stream: POSTs to {@code <url>/api/v2/logs}, the batch as JSON arrays of log entries
 * within the intake's limits ({@link DatadogPayloads}); the batch counts as delivered once every part
 * was accepted (a 2xx, Datadog's 202).
 */
final class DatadogSender implements StreamSender {
    static final String LOGS_PATH = "/api/v2/logs";

    private final OutboundHttpClient http;
    private final ObjectMapper mapper;

    DatadogSender(OutboundHttpClient http, ObjectMapper mapper) {
        this.http = requireNonNull(http, "http is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /** The intake's base {@code url} and the {@code apiKey} (answered). */
    static String settings(StreamDefinition.Settings given) {
        given.url("url", "the API key authenticates each batch");
        return given.secret("apiKey", 16);
    }

    @Override
    public Result send(Stream stream, List<Item> items) {
        URI url = StreamSender.endpoint(StreamSender.settings(stream, mapper).path("url").asText(), LOGS_PATH);
        Map<String, String> headers = Map.of("DD-API-KEY", stream.secret(), "User-Agent", USER_AGENT);
        List<byte[]> payloads = DatadogPayloads.payloads(items.stream()
                .map(item -> DatadogPayloads.entry(mapper, stream.tenant(), stream.format(), item.line())).toList());
        for (int i = 0; i < payloads.size(); i++) {
            String part = payloads.size() == 1 ? "" : " (part " + (i + 1) + " of " + payloads.size() + ")";
            try {
                int status = http.postJson(url, headers, payloads.get(i));
                if (status / 100 != 2) {
                    return failure(status, part);
                }
            } catch (IOException | IllegalArgumentException e) {
                return Result.retry(http.failure(e, "Datadog intake") + part);
            }
        }
        return Result.acknowledged();
    }

    /** A rejected key (401, 403), entries (400) or size (413) cannot pass on a later attempt; 408, 429 and 5xx can. */
    private static Result failure(int status, String part) {
        String answered = "Datadog answered " + status + part;
        return switch (status) {
            case 401, 403 -> Result.refused(answered + ": the API key was refused; change the stream's apiKey");
            case 400 -> Result.refused(answered + ": it rejects the batch's entries, so sending them again cannot help");
            case 413 -> Result.refused(answered + ": it finds the payload too large");
            default -> Result.retry(answered);
        };
    }
}
