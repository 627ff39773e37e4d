package org.auditlog.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.lifecycle.Managed;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.auditlog.access.Caller;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys already authenticated, so that a request does not cost a query. A key is served from here
 * only while this instance listens on the {@code api_key_changed} channel, which a trigger on
 * {@code api_keys} notifies with the key's id whenever a key row changes (a revocation, by the API
 * on any instance or by hand in SQL). The notification drops the key; while the listening
 * connection is lost nothing is served from here, and the cache is emptied once it is back, so no
 * revocation is ever missed. A lookup that a notification overtook is not kept.
 */
public final class KeyCache implements Managed {
    private static final Logger LOG = LoggerFactory.getLogger(KeyCache.class);
    private static final String CHANNEL = "api_key_changed";

    private final Jdbi jdbi;
    private final Cache<ByteBuffer, Caller> callers = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();
    /** Moves on at every change heard and every loss of the channel; a lookup from before is not kept. */
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean running;
    private Thread listener;

    private KeyCache(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** A cache that listens for key changes once started. */
    public static KeyCache listening(Jdbi jdbi) {
        return new KeyCache(jdbi);
    }

    /** No cache: every lookup asks the database (commands that run once). */
    public static KeyCache none() {
        return new KeyCache(null);
    }

    /** The caller for a secret's hash, from the cache while that is safe, else from {@code lookup}. */
    Optional<Caller> get(byte[] secretHash, Supplier<Optional<Caller>> lookup) {
        ByteBuffer key = ByteBuffer.wrap(secretHash);
        if (listening) {
            Caller cached = callers.getIfPresent(key);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        long before = generation.get();
        Optional<Caller> found = lookup.get();
        if (found.isPresent() && listening) {
            callers.put(key, found.get());
            if (generation.get() != before) {
                callers.invalidate(key); // a change was heard meanwhile: the row read may be the old one
            }
        }
        return found;
    }

    /** Drops a key at once; what the revoking request does before it answers. */
    void changed(UUID keyId) {
        generation.incrementAndGet();
        callers.asMap().values().removeIf(caller -> caller.keyId().equals(keyId));
    }

    @Override
    public void start() {
        if (jdbi == null) {
            return;
        }
        running = true;
        listener = new Thread(this::listen, "api-key-changes");
        listener.setDaemon(true);
        listener.start();
    }

    @Override
    public void stop() throws InterruptedException {
        running = false;
        if (listener != null) {
            listener.interrupt();
            listener.join(5_000);
        }
    }

    /** Forgets every key, and any lookup under way. */
    private void forgetAll() {
        generation.incrementAndGet();
        callers.invalidateAll();
    }

    private void listen() {
        while (running) {
            try (Handle handle = jdbi.open()) {
                handle.execute("listen " + CHANNEL);
                PGConnection connection = handle.getConnection().unwrap(PGConnection.class);
                // what changed while nobody listened is unknown: start from nothing
                forgetAll();
                listening = true;
                LOG.info("listening for API key changes");
                while (running) {
                    PGNotification[] notifications = connection.getNotifications(1_000);
                    if (notifications == null) {
                        continue;
                    }
                    for (PGNotification notification : notifications) {
                        try {
                            changed(UUID.fromString(notification.getParameter()));
                        } catch (IllegalArgumentException e) {
                            forgetAll();
                        }
                    }
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warn("lost the API key change channel, every key is looked up until it is back: {}", e.toString());
                }
            } finally {
                listening = false;
                forgetAll();
            }
            if (running) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
