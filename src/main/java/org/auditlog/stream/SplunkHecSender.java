package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.auditlog.common.Problem;
import org.auditlog.outbound.OutboundHttpClient;

/**
 * A {@code splunk-hec} stream: one POST a batch to {@code <url>/services/collector/event}, the events
 * as concatenated HEC event envelopes, with indexer acknowledgement when the destination asks for it
 * (its answer holds an {@code ackId}): the batch counts as delivered only once the indexer confirmed it.
 */
final class SplunkHecSender implements StreamSender {
    static final String EVENT_PATH = "/services/collector/event";
    static final String ACK_PATH = "/services/collector/ack";
    static final String SOURCE = "audit-service";
    /** Splunk's rule for index names: lowercase letters, digits, {@code _} and {@code -}, not first {@code _} or {@code -}. */
    private static final Pattern INDEX = Pattern.compile("[a-z0-9][a-z0-9_-]{0,79}");
    private static final Duration FIRST_ACK_POLL = Duration.ofMillis(50);
    private static final Duration LONGEST_ACK_POLL = Duration.ofMillis(500);

    /** What HEC's status codes mean (Splunk's "Format events for HTTP Event Collector"), never its own text. */
    private static final Map<Integer, String> CODES = Map.ofEntries(Map.entry(1, "token disabled"),
            Map.entry(2, "token is required"), Map.entry(3, "invalid authorization"), Map.entry(4, "invalid token"),
            Map.entry(5, "no data"), Map.entry(6, "invalid data format"), Map.entry(7, "incorrect index"),
            Map.entry(8, "internal server error"), Map.entry(9, "server is busy"),
            Map.entry(10, "data channel is missing"), Map.entry(11, "invalid data channel"),
            Map.entry(12, "event field is required"), Map.entry(13, "event field cannot be blank"),
            Map.entry(14, "indexer acknowledgement is disabled"), Map.entry(15, "error in handling indexed fields"),
            Map.entry(18, "unhealthy, queues are full"), Map.entry(19, "unhealthy, ack service unavailable"),
            Map.entry(20, "unhealthy, queues are full, ack service unavailable"));

    private final OutboundHttpClient http;
    private final TrustedClients trusted;
    private final ObjectMapper mapper;

    SplunkHecSender(OutboundHttpClient http, TrustedClients trusted, ObjectMapper mapper) {
        this.http = requireNonNull(http, "http is null");
        this.trusted = requireNonNull(trusted, "trusted is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /** A HEC's base {@code url}, an optional {@code caCertificate} and {@code index}, and its {@code token} (answered). */
    static String settings(StreamDefinition.Settings given) {
        given.url("url", "the token authenticates each batch");
        given.caCertificate();
        String index = given.request().string("index");
        if (index != null) {
            if (INDEX.matcher(index).matches()) {
                given.settings().put("index", index);
            } else {
                given.problems().add(new Problem("index", "must be 1 to 80 lowercase letters, digits, _ or -, "
                        + "not starting with _ or -"));
            }
        }
        return given.secret("token", 8);
    }

    /** The {@code sourcetype} of a format's events: {@code audit:native}, {@code audit:ocsf} or {@code audit:cef}. */
    static String sourcetype(StreamFormat format) {
        return "audit:" + format.wireName();
    }

    @Override
    public Result send(Stream stream, List<Item> items) {
        JsonNode settings = StreamSender.settings(stream, mapper);
        String base = settings.path("url").asText();
        OutboundHttpClient client = settings.hasNonNull("caCertificate")
                ? trusted.trusting(settings.get("caCertificate").asText()) : http;
        Map<String, String> headers = Map.of("Authorization", "Splunk " + stream.secret(),
                "X-Splunk-Request-Channel", stream.id().toString(), "User-Agent", USER_AGENT);
        try {
            OutboundHttpClient.Response response = client.exchange(StreamSender.endpoint(base, EVENT_PATH), headers,
                    envelopes(stream, settings.path("index").asText(null), items), "application/json");
            if (response.status() / 100 != 2) {
                return failure(response);
            }
            JsonNode answer = json(response.body());
            if (!answer.path("ackId").isIntegralNumber()) {
                return Result.acknowledged();
            }
            return awaitAck(client, StreamSender.endpoint(base, ACK_PATH), headers, answer.get("ackId").asLong());
        } catch (IOException | IllegalArgumentException e) {
            return Result.retry(client.failure(e, "HEC"));
        }
    }

    /**
     * Asks the indexer, with short and growing pauses, whether it has the batch, until it says so or the
     * streams timeout has passed since the batch was answered (then the batch is sent again).
     */
    private Result awaitAck(OutboundHttpClient client, URI url, Map<String, String> headers, long ackId)
            throws IOException {
        byte[] query = ("{\"acks\":[" + ackId + "]}").getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + client.timeout().toNanos();
        Duration pause = FIRST_ACK_POLL;
        while (true) {
            try {
                Thread.sleep(Math.max(0, Math.min(pause.toMillis(), (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Result.retry("stopped while waiting for the HEC's indexer acknowledgement");
            }
            OutboundHttpClient.Response response = client.exchange(url, headers, query, "application/json");
            if (response.status() / 100 == 2) {
                if (json(response.body()).path("acks").path(Long.toString(ackId)).asBoolean(false)) {
                    return Result.acknowledged();
                }
            } else {
                Result failed = failure(response);
                if (!failed.retryable()) {
                    return failed; // a busy or failing ack service is asked again until the deadline
                }
            }
            if (System.nanoTime() >= deadline) {
                return Result.retry("the HEC did not confirm indexing the batch (ackId " + ackId + ") within "
                        + client.timeout().toMillis() + " ms; it is sent again");
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_ACK_POLL) > 0 ? LONGEST_ACK_POLL : pause.multipliedBy(2);
        }
    }

    /**
     * How a HEC's answer other than a 2xx fails: a rejected token, a channel problem or data it calls
     * invalid cannot pass on a later attempt (refused); a busy, throttling or failing server can (retry).
     */
    private Result failure(OutboundHttpClient.Response response) {
        int status = response.status();
        int code = json(response.body()).path("code").asInt(-1);
        String answered = "the HEC answered " + status + (CODES.containsKey(code) ? " (code " + code + ": "
                + CODES.get(code) + ")" : code >= 0 ? " (code " + code + ")" : "");
        if (status == 401 || status == 403) {
            return Result.refused(answered + ": the token was refused; change the stream's token");
        }
        if (status == 400 && (code == 10 || code == 11 || code == 14)) {
            return Result.refused(answered + ": indexer acknowledgement needs a channel the HEC accepts; "
                    + "check the token's indexer acknowledgement setting");
        }
        if (status == 400) {
            return Result.refused(answered + ": the HEC rejects the batch's events, so sending them again cannot help");
        }
        return Result.retry(answered);
    }

    /** The batch as concatenated HEC event envelopes: JSON formats' objects as the event, a CEF line as a string. */
    private byte[] envelopes(Stream stream, String index, List<Item> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.setRootValueSeparator(new SerializedString("\n"));
            for (Item item : items) {
                json.writeStartObject();
                long millis = item.event().occurredAtInstant().toEpochMilli();
                json.writeNumberField("time", new BigDecimal(BigInteger.valueOf(millis), 3));
                json.writeStringField("source", SOURCE);
                json.writeStringField("sourcetype", sourcetype(stream.format()));
                if (index != null) {
                    json.writeStringField("index", index);
                }
                json.writeFieldName("event");
                if (stream.format() == StreamFormat.CEF) {
                    json.writeString(item.line());
                } else {
                    json.writeRawValue(item.line()); // the formatted JSON as it is: a native event stays verifiable
                }
                json.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An answer's JSON, or an empty object when it has none (a proxy's page). */
    private JsonNode json(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node == null ? mapper.createObjectNode() : node;
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }
}
