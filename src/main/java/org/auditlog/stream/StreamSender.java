package org.auditlog.stream;

import java.util.List;

/**
 * Sends one batch of formatted events to one destination of its type, once. Retries, the cursor and
 * backoff are {@link StreamDelivery}'s; a sender only says whether the destination acknowledged.
 */
public interface StreamSender {
    /** How an attempt went; {@code error} says why it failed and never holds a secret. */
    record Result(boolean ok, String error) {
    }

    /** {@code lines}: each event as the stream's format writes it, in seq order. */
    Result send(Stream stream, List<String> lines);
}
