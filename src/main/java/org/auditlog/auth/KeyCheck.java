package org.auditlog.auth;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.OptionalLong;
import org.auditlog.access.Caller;

/**
 * A key checked outside the API's header, by the console's sign-in form: the same lookup as the
 * bearer filter and the same throttle of failed attempts per client address, so a form is no easier
 * a place to guess keys than the API.
 */
public final class KeyCheck {
    /** What a check found: the key's caller, or a refusal, and when the address may try again. */
    public record Result(Optional<Caller> caller, OptionalLong retryAfterSeconds) {
        public boolean throttled() {
            return retryAfterSeconds.isPresent();
        }
    }

    private final ApiKeyService keys;
    private final ClientAddresses addresses;
    private final FailedAuthentications failures;

    KeyCheck(ApiKeyService keys, ClientAddresses addresses, FailedAuthentications failures) {
        this.keys = requireNonNull(keys, "keys is null");
        this.addresses = requireNonNull(addresses, "addresses is null");
        this.failures = requireNonNull(failures, "failures is null");
    }

    /** The client a request came from (see {@code auth.trustedProxies}). */
    public String clientOf(String peer, String forwardedFor) {
        return addresses.clientOf(peer, forwardedFor);
    }

    /** Whether the peer is a trusted proxy, whose {@code X-Forwarded-*} headers are believed. */
    public boolean trustedProxy(String peer) {
        return addresses.trusted(peer);
    }

    public Result check(String key, String client) {
        OptionalLong retryAfter = failures.refused(client);
        if (retryAfter.isPresent()) {
            return new Result(Optional.empty(), retryAfter);
        }
        Optional<Caller> caller = keys.authenticate(key);
        if (caller.isEmpty()) {
            failures.failed(client);
        }
        return new Result(caller, OptionalLong.empty());
    }
}
