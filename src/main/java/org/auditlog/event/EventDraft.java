package org.auditlog.event;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A validated event as a client sent it, before it has a place in the chain. {@code occurredAt} is
 * already defaulted to the time the request was received.
 */
public record EventDraft(
        String action,
        Actor actor,
        Instant occurredAt,
        Instant receivedAt,
        String category,
        Outcome outcome,
        Optional<Resource> resource,
        Optional<Source> source,
        Optional<String> requestId,
        Optional<String> reason,
        Optional<ObjectNode> changes,
        Optional<ObjectNode> metadata,
        Optional<String> idempotencyKey) {
    /**
     * How far past the time it was received an event may have happened, at most: the database refuses
     * any other (migrations/019), {@code ingest.maxFutureSkew} may not exceed it, and reads bound the
     * time of receipt by it (see EventWhere).
     */
    public static final Duration MOST_AHEAD_OF_RECEIPT = Duration.ofHours(24);

    public EventDraft {
        requireNonNull(action, "action is null");
        requireNonNull(actor, "actor is null");
        requireNonNull(occurredAt, "occurredAt is null");
        requireNonNull(receivedAt, "receivedAt is null");
        requireNonNull(category, "category is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(resource, "resource is null");
        requireNonNull(source, "source is null");
        requireNonNull(requestId, "requestId is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(changes, "changes is null");
        requireNonNull(metadata, "metadata is null");
        requireNonNull(idempotencyKey, "idempotencyKey is null");
    }
}
