package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.codahale.metrics.Counter;
import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.outbound.OutboundHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every signed checkpoint where the database's writers cannot reach it: the checkpoint folder
 * ({@code integrity.publishDir}) and, when configured, a webhook ({@code integrity.publishUrl}). A
 * failure never stops a checkpoint from being stored: it is logged, counted in
 * {@value #FAILURES} and tried again at the next run, with each tenant's newest checkpoint.
 */
public final class CheckpointPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointPublisher.class);
    public static final String FAILURES = "integrity.publish.failures";

    /** Where checkpoints are POSTed, through the client that connects only where the guard allows. */
    public record Webhook(URI url, OutboundHttpClient client) {
        public Webhook {
            requireNonNull(url, "url is null");
            requireNonNull(client, "client is null");
        }
    }

    private final CheckpointFolder folder;
    private final Optional<Webhook> webhook;
    private final Counter failures;
    /** Per tenant, the newest checkpoint the webhook has not taken yet. */
    private final Map<String, Checkpoint> undelivered = new TreeMap<>();

    public CheckpointPublisher(CheckpointFolder folder, Optional<Webhook> webhook, Counter failures) {
        this.folder = requireNonNull(folder, "folder is null");
        this.webhook = requireNonNull(webhook, "webhook is null");
        this.failures = requireNonNull(failures, "failures is null");
    }

    /**
     * {@code integrity.publishUrl} as a destination, or none when it is empty; one the guard refuses
     * stops the start with a message naming the key.
     */
    public static Optional<URI> destination(String publishUrl, OutboundGuard guard) {
        if (publishUrl == null || publishUrl.isBlank()) {
            return Optional.empty();
        }
        URI url = URI.create(publishUrl.trim());
        guard.checkUrl("integrity.publishUrl", url).ifPresent(problem -> {
            throw new IllegalStateException(problem.field() + " " + problem.error()
                    + "; allow its host with outbound.allowedHosts (or outbound.allowPrivateNetworks)");
        });
        return Optional.of(url);
    }

    /** A checkpoint just stored: written to the folder now, handed to the webhook by {@link #deliver}. */
    public void publish(Checkpoint checkpoint) {
        write(checkpoint);
        if (webhook.isPresent()) {
            synchronized (undelivered) {
                undelivered.merge(checkpoint.tenant(), checkpoint, (old, fresh) -> fresh.seq() > old.seq() ? fresh : old);
            }
        }
    }

    /**
     * What an earlier run could not do: writes each tenant's newest checkpoint whose files are missing
     * (and notices one whose files differ), then delivers what the webhook has not taken.
     */
    public void catchUp(Collection<Checkpoint> newestOfEachTenant) {
        for (Checkpoint checkpoint : newestOfEachTenant) {
            write(checkpoint);
            synchronized (undelivered) {
                undelivered.computeIfPresent(checkpoint.tenant(),
                        (tenant, old) -> checkpoint.seq() > old.seq() ? checkpoint : old);
            }
        }
        deliver();
    }

    /**
     * POSTs each tenant's newest undelivered checkpoint. The first failure ends the round (the
     * receiver is likely down, and each attempt may take the client's whole timeout); the rest wait
     * for the next run.
     */
    public synchronized void deliver() {
        if (webhook.isEmpty()) {
            return;
        }
        Map<String, Checkpoint> pending;
        synchronized (undelivered) {
            pending = new TreeMap<>(undelivered);
        }
        for (Checkpoint checkpoint : pending.values()) {
            if (!post(webhook.get(), checkpoint)) {
                return;
            }
            synchronized (undelivered) {
                undelivered.remove(checkpoint.tenant(), checkpoint);
            }
        }
    }

    private void write(Checkpoint checkpoint) {
        try {
            folder.write(checkpoint);
        } catch (CheckpointFolder.RewrittenException e) {
            failures.inc();
            LOG.error("checkpoint of tenant {} at seq {} not published: {}", checkpoint.tenant(), checkpoint.seq(),
                    e.getMessage());
        } catch (IOException | RuntimeException e) {
            failures.inc();
            LOG.warn("cannot write the checkpoint of tenant {} at seq {} to {} ({}: {}); trying again at the next run",
                    checkpoint.tenant(), checkpoint.seq(), folder.folder(), e.getClass().getSimpleName(), e.getMessage());
        }
    }

    private boolean post(Webhook target, Checkpoint checkpoint) {
        // the URL may carry a token: only its host is logged
        String host = OutboundGuard.host(target.url()).orElse("?");
        try {
            int status = target.client().postJson(target.url(), Map.of(), folder.json(checkpoint));
            if (status >= 200 && status < 300) {
                return true;
            }
            failures.inc();
            LOG.warn("integrity.publishUrl (host {}) answered {} to the checkpoint of tenant {} at seq {}; "
                    + "trying again at the next run", host, status, checkpoint.tenant(), checkpoint.seq());
        } catch (IOException | RuntimeException e) {
            failures.inc();
            LOG.warn("cannot POST the checkpoint of tenant {} at seq {} to integrity.publishUrl (host {}): {}: {}; "
                    + "trying again at the next run", checkpoint.tenant(), checkpoint.seq(), host,
                    e.getClass().getSimpleName(), e.getMessage());
        }
        return false;
    }
}
