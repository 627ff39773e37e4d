package org.auditlog.common;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a page of a list ordered newest first by time, then id, ended: the last row's time and id,
 * as opaque text for the {@code cursor} parameter. The list's query still bounds it to the caller's
 * tenant, so a cursor made up by hand can only start a page elsewhere in the caller's own rows.
 */
public record TimeIdCursor(Instant at, UUID id) {
    public TimeIdCursor {
        requireNonNull(at, "at is null");
        requireNonNull(id, "id is null");
    }

    public String encode() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((at + "/" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor a previous page gave, or a 400 naming {@code cursor} for any other text. */
    public static Optional<TimeIdCursor> decode(Optional<String> text) {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text.get()), StandardCharsets.UTF_8).split("/");
            if (parts.length != 2) {
                throw new IllegalArgumentException("two parts");
            }
            return Optional.of(new TimeIdCursor(Instant.parse(parts[0]), UUID.fromString(parts[1])));
        } catch (RuntimeException e) {
            throw Rejection.badParameter("cursor", "is not a cursor this list gave");
        }
    }
}
