package org.auditlog.stream;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored stream: its definition (filters and settings as the JSON text stored), its cursor and how
 * delivery goes. {@code secret} is used to send and is never answered, logged or recorded.
 * {@code headSeq} and {@code oldestUndeliveredAt} are read beside it for its status (null when not).
 */
public record Stream(UUID id, String tenant, String name, StreamType type, StreamFormat format, String filters,
                     boolean blocksRetention, String settings, String secret, String state, String pausedReason,
                     long deliveredThroughSeq, byte[] deliveredHash, Long lostFromSeq, Long lostToSeq, int attempts,
                     String lastError, Instant failingSince, Instant lastAttemptAt, Instant lastDeliveredAt,
                     String createdBy, Instant createdAt, Instant updatedAt, Long headSeq,
                     Instant oldestUndeliveredAt) {
    public static final String ACTIVE = "active";
    public static final String PAUSED = "paused";

    /** Where a message may name it: its tenant and name, never its settings or secret. */
    public String label() {
        return tenant + "/" + name;
    }

    @Override
    public String toString() {
        return "Stream[" + id + ", " + label() + ", " + type.wireName() + "]";
    }
}
