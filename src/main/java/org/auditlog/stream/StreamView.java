package org.auditlog.stream;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import com.fasterxml.jackson.core.JsonProcessingException;
import org.auditlog.common.Timestamps;

/**
 * A stream's definition and status as the API answers them: the type's settings without its secret,
 * the cursor, the lag behind the tenant's head, and how delivery goes.
 */
@JsonPropertyOrder({"id", "name", "type", "format", "filters", "blocksRetention", "state", "pausedReason",
        "deliveredThroughSeq", "deliveredThroughHash", "lagEvents", "lagSeconds", "lastError", "attempts",
        "lastAttemptAt", "lastDeliveredAt", "lostSeqs"})
public record StreamView(String id, String name, String type, String format, JsonNode filters, boolean blocksRetention,
                         String state, String pausedReason, long deliveredThroughSeq, String deliveredThroughHash,
                         long lagEvents, long lagSeconds, String lastError, int attempts, String lastAttemptAt,
                         String lastDeliveredAt, @JsonInclude(JsonInclude.Include.NON_NULL) LostSeqs lostSeqs,
                         @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> settings,
                         String createdAt, String updatedAt) {

    /** The seqs retention deleted before this stream delivered them: the span from the first to the last. */
    public record LostSeqs(long from, long to) {
    }

    /** The type's settings (a webhook's {@code url}) as top-level members, as they were given. */
    @JsonAnyGetter
    public Map<String, Object> settingsMembers() {
        return settings;
    }

    static StreamView of(Stream stream, Instant now, ObjectMapper mapper) {
        try {
            Map<String, Object> settings = new LinkedHashMap<>();
            mapper.readTree(stream.settings()).fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue()));
            long head = stream.headSeq() == null ? 0 : stream.headSeq();
            long lagSeconds = stream.oldestUndeliveredAt() == null ? 0
                    : Math.max(0, Duration.between(stream.oldestUndeliveredAt(), now).toSeconds());
            return new StreamView(stream.id().toString(), stream.name(), stream.type().wireName(),
                    stream.format().wireName(), mapper.readTree(stream.filters()), stream.blocksRetention(),
                    stream.state(), stream.pausedReason(), stream.deliveredThroughSeq(),
                    stream.deliveredHash() == null ? null : HexFormat.of().formatHex(stream.deliveredHash()),
                    Math.max(0, head - stream.deliveredThroughSeq()), lagSeconds, stream.lastError(), stream.attempts(),
                    format(stream.lastAttemptAt()), format(stream.lastDeliveredAt()),
                    stream.lostFromSeq() == null ? null : new LostSeqs(stream.lostFromSeq(), stream.lostToSeq()),
                    settings, format(stream.createdAt()), format(stream.updatedAt()));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String format(Instant instant) {
        return instant == null ? null : Timestamps.format(instant);
    }
}
