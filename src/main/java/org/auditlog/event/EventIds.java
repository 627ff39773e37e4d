package org.auditlog.event;

import java.security.SecureRandom;
import java.util.UUID;

/** Time-ordered event ids: UUID version 7 (RFC 9562), 48 bits of Unix milliseconds then random bits. */
public final class EventIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private EventIds() {
    }

    public static UUID next(long epochMillis) {
        long randomHigh = RANDOM.nextLong();
        long randomLow = RANDOM.nextLong();
        long most = (epochMillis << 16) | 0x7000L | (randomHigh & 0x0FFFL);
        long least = (randomLow & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(most, least);
    }

    /** Any id of the API as a UUID, or empty when the text is not one (a malformed id is simply not found). */
    public static java.util.Optional<UUID> parse(String text) {
        if (text == null || text.length() != 36) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
