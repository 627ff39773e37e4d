package org.auditlog.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Collectors;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.common.Digests;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.event.Resource;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;

/**
 * Console sessions, kept in the database so that every instance accepts them and ends them together:
 * a session is found only while it is within both timeouts and its key is not revoked, so revoking a
 * key ends its sessions on every instance at their next request. The cookie holds a random token; the
 * database holds only its SHA-256.
 */
public final class ConsoleSessions {
    /** The category sign-ins and sign-outs are recorded under. */
    static final String CATEGORY = "authentication";
    /** How often a session's last use is written: the idle timeout is exact to within this. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A session just opened: the token for the cookie (shown nowhere else) and the session. */
    public record Opened(String token, Session session) {
    }

    private final Jdbi jdbi;
    private final AuditTrail trail;
    private final Duration idleTimeout;
    private final Duration absoluteTimeout;

    public ConsoleSessions(Jdbi jdbi, AuditTrail trail, ConsoleConfiguration configuration) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.idleTimeout = configuration.getIdleTimeout();
        this.absoluteTimeout = configuration.getAbsoluteTimeout();
        Database.prepare(jdbi, SessionDao.class);
    }

    public Duration absoluteTimeout() {
        return absoluteTimeout;
    }

    /** Opens a session for a key that may read the log, and records the sign-in in its tenant's log. */
    public Opened open(Caller caller, String client) {
        if (!caller.may(Role.AUDITOR)) {
            throw new IllegalArgumentException("the console needs an auditor or admin key");
        }
        String token = randomToken();
        byte[] hash = hash(token);
        String csrf = randomToken();
        Instant now = Timestamps.now();
        jdbi.useExtension(SessionDao.class, dao -> dao.open(hash, caller.keyId(), caller.tenant(), csrf, now));
        Session session = new Session(hash, caller, csrf, now, now);
        record(session, "console.signed_in", client);
        return new Opened(token, session);
    }

    /** The live session a cookie's token names, its last use noted; empty when it ended or never was. */
    public Optional<Session> find(String token) {
        if (token == null || token.isEmpty() || token.length() > 100) {
            return Optional.empty();
        }
        byte[] hash = hash(token);
        Instant now = Timestamps.now();
        return jdbi.withExtension(SessionDao.class, dao -> {
            Optional<Session> found = dao.find(hash, now.minus(idleTimeout), now.minus(absoluteTimeout))
                    .map(ConsoleSessions::session);
            found.filter(s -> s.lastSeenAt().isBefore(now.minus(TOUCH_EVERY))).ifPresent(s -> dao.touch(hash, now));
            return found;
        });
    }

    /** Ends a session and records the sign-out. */
    public void close(Session session, String client) {
        int ended = jdbi.withExtension(SessionDao.class, dao -> dao.end(session.tokenHash(), Timestamps.now(), "signed out"));
        if (ended > 0) {
            record(session, "console.signed_out", client);
        }
    }

    /** Removes sessions unused for a day beyond the absolute timeout; answers how many. */
    public int deleteExpired() {
        return jdbi.withExtension(SessionDao.class,
                dao -> dao.deleteOlderThan(Timestamps.now().minus(absoluteTimeout).minus(Duration.ofDays(1))));
    }

    /** Whether {@code given} is the session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(Session session, String given) {
        return sameToken(session.csrfToken(), given);
    }

    /** Whether two tokens are equal, compared in constant time; a missing one matches nothing. */
    static boolean sameToken(String expected, String given) {
        return expected != null && given != null && MessageDigest.isEqual(
                expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String randomToken() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    private void record(Session session, String action, String client) {
        var caller = session.caller();
        trail.record(caller.tenant(), CATEGORY, action, caller.requester().actor(),
                new Resource("console_session", session.reference(), null),
                JsonNodeFactory.instance.objectNode().put("client", client));
    }

    private static Session session(SessionDao.Row row) {
        var roles = row.roles().stream().map(r -> Role.fromWire(r).orElseThrow()).collect(Collectors.toSet());
        return new Session(row.tokenHash(), new Caller(row.keyId(), row.tenant(), row.keyName(), roles),
                row.csrfToken(), row.createdAt(), row.lastSeenAt());
    }

    private static byte[] hash(String token) {
        return Digests.sha256(token);
    }
}
