package org.auditlog.auth;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.auditlog.access.Caller;
import org.auditlog.access.Requester;
import org.auditlog.access.Role;
import org.auditlog.common.Digests;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.database.ReadTimeout;
import org.auditlog.event.Actor;
import org.auditlog.trail.RecordedTask;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * Keys: 32 random bytes shown once, stored only as their SHA-256 (a secret this long needs no slow
 * hash). An authenticated key is kept in a {@link KeyCache} that every key change in the database
 * empties of that key on every instance, so a revocation takes effect at once everywhere.
 */
public final class ApiKeyService {
    public static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final String PREFIX = "ak_";
    private static final int HINT_LENGTH = PREFIX.length() + 4;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The actor of the keys the {@code create-key} command makes. */
    private static final Actor COMMAND = new Actor("create-key", "system", "create-key command", null);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiKeyService.class);

    private final Jdbi jdbi;
    private final KeyChangeListener listener;
    private final KeyCache cache;

    public ApiKeyService(Jdbi jdbi, KeyChangeListener listener, KeyCache cache) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.cache = requireNonNull(cache, "cache is null");
        Database.prepare(jdbi, ApiKeyDao.class);
    }

    /** A new key and its secret, which exists nowhere else once this returns. */
    public record CreatedKey(ApiKey key, String secret) {
    }

    /** Told of every key change, so it lands in the tenant's own audit log. */
    public interface KeyChangeListener {
        void created(Requester requester, ApiKey key);

        void revoked(Requester requester, ApiKey key);
    }

    public CreatedKey create(Requester requester, KeyRequest request) {
        return issue(requester, request);
    }

    /** The first key of a tenant, made by the {@code create-key} command. */
    public CreatedKey createFromCommand(String tenant, String name, List<String> roles) {
        List<Problem> problems = new ArrayList<>();
        if (tenant != null && tenant.startsWith("_")) {
            problems.add(new Problem("tenant", "names starting with _ are reserved (" + RecordedTask.SYSTEM
                    + " holds what operators did across tenants); no key is made for them"));
        } else if (tenant == null || !TENANT.matcher(tenant).matches()) {
            problems.add(new Problem("tenant", "must match " + TENANT.pattern()));
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return issue(new Requester(tenant, COMMAND, "command:create-key"), KeyRequest.of(name, roles));
    }

    private CreatedKey issue(Requester requester, KeyRequest request) {
        String name = request.name();
        // in the order Role declares them, as the key was always stored
        List<String> roles = EnumSet.copyOf(request.roles()).stream().map(Role::wireName).toList();
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        ApiKey key = new ApiKey(UUID.randomUUID(), requester.tenant(), name, roles,
                secret.substring(0, HINT_LENGTH), Timestamps.now(), requester.reference(), null);
        jdbi.useExtension(ApiKeyDao.class, dao -> dao.insert(key.id(), key.tenant(), key.name(),
                key.roles().toArray(String[]::new), secretHash(secret), key.hint(), key.createdAtInstant(),
                key.createdBy()));
        LOG.info("API key created: id={} tenant={} name={} roles={} by={}", key.id(), key.tenant(), key.name(),
                key.roles(), requester.reference());
        listener.created(requester, key);
        return new CreatedKey(key, secret);
    }

    public Optional<Caller> authenticate(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 128) {
            return Optional.empty();
        }
        byte[] hash = secretHash(secret);
        return cache.get(hash, () -> lookup(hash));
    }

    private Optional<Caller> lookup(byte[] secretHash) {
        // the fluent API spares the per-call cost of attaching a SQL object
        return jdbi.withHandle(handle -> handle.createQuery("select " + ApiKeyDao.COLUMNS + " from api_keys "
                        + "where secret_hash = :secretHash and revoked_at is null")
                        .setTemplateEngine(TemplateEngine.NOP)
                        .bind("secretHash", secretHash).map(new ApiKeyMapper()).findOne())
                .map(key -> new Caller(key.id(), key.tenant(), key.name(),
                        key.roles().stream().map(r -> Role.fromWire(r).orElseThrow()).collect(Collectors.toSet())));
    }

    public List<ApiKey> list(Requester requester) {
        return ReadTimeout.read(jdbi, ApiKeyDao.class, dao -> dao.listByTenant(requester.tenant()));
    }

    public void revoke(Requester requester, String id) {
        UUID keyId = org.auditlog.event.EventIds.parse(id).orElseThrow(() -> Rejection.notFound("key"));
        ApiKey key = jdbi.inTransaction(handle -> {
            ApiKeyDao dao = handle.attach(ApiKeyDao.class);
            ApiKey found = dao.find(requester.tenant(), keyId).orElseThrow(() -> Rejection.notFound("key"));
            dao.revoke(requester.tenant(), keyId, Timestamps.now());
            return found;
        });
        cache.changed(keyId); // other instances hear of it from the database's notification
        if (key.revokedAtInstant() == null) {
            LOG.info("API key revoked: id={} tenant={} by={}", key.id(), key.tenant(), requester.reference());
            listener.revoked(requester, key);
        }
    }


    static byte[] secretHash(String secret) {
        return Digests.sha256().digest(secret.getBytes(StandardCharsets.UTF_8));
    }
}
