package org.auditlog.console;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;

/** A signed-in officer: the key they signed in with, as the API would see it, and the session's CSRF token. */
public record Session(byte[] tokenHash, Caller caller, String csrfToken, Instant createdAt, Instant lastSeenAt) {
    public Session {
        requireNonNull(tokenHash, "tokenHash is null");
        requireNonNull(caller, "caller is null");
        requireNonNull(csrfToken, "csrfToken is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(lastSeenAt, "lastSeenAt is null");
    }

    public boolean admin() {
        return caller.may(Role.ADMIN);
    }

    /** A short, non-secret name of the session for the log: the start of its token's hash. */
    public String reference() {
        return java.util.HexFormat.of().formatHex(tokenHash, 0, 8);
    }
}
