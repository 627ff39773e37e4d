package org.auditlog.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import org.auditlog.event.AuditEvent;

/**
 * Sends one batch of formatted events to one destination of its type, once. Retries, the cursor and
 * backoff are {@link StreamDelivery}'s; a sender only says whether the destination acknowledged, and
 * whether trying the same batch again can help.
 */
public interface StreamSender {
    /** The {@code User-Agent} of every stream's requests. */
    String USER_AGENT = "audit-service-streams";

    /**
     * How an attempt went; {@code error} says why it failed and never holds a secret. A failure that is
     * not {@code retryable} (the destination refused the batch or the credentials for good) pauses the
     * stream at once, since the cursor may not skip the batch and sending it again cannot succeed.
     */
    record Result(boolean ok, boolean retryable, String error) {
        public static Result acknowledged() {
            return new Result(true, false, null);
        }

        /** A failure the next attempt, after the backoff, may get past (a timeout, 408, 429, a 5xx). */
        public static Result retry(String error) {
            return new Result(false, true, error);
        }

        /** A failure no later attempt of the same batch gets past until an admin changes the stream. */
        public static Result refused(String error) {
            return new Result(false, false, error);
        }
    }

    /** One event of a batch and its line: the event as the stream's format writes it. */
    record Item(AuditEvent event, String line) {
    }

    /** {@code items}: the batch's events in seq order, each with its formatted line. */
    Result send(Stream stream, List<Item> items);

    /** The stream's stored settings (its type's members but the secret). */
    static JsonNode settings(Stream stream, ObjectMapper mapper) {
        try {
            return mapper.readTree(stream.settings());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code path} (such as {@code /services/collector/event}) under a destination's base URL, whose own
     * path (a proxy's prefix) is kept, trailing slashes aside.
     */
    static URI endpoint(String base, String path) {
        URI uri = URI.create(base);
        String prefix = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        return URI.create(uri.getScheme() + "://" + uri.getRawAuthority() + prefix + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }
}
