package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

import io.dropwizard.lifecycle.Managed;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.auditlog.common.Digests;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.outbound.OutboundHttpClient;
import org.auditlog.outbound.PemTrust;

/**
 * The HTTP clients of destinations that trust a private CA ({@code caCertificate}): one a distinct PEM,
 * kept (the most recently used {@value #MAX_CLIENTS}) so its connections are reused, each resolving
 * through the same guard as every other destination. Closed when the service stops.
 */
final class TrustedClients implements Managed {
    static final int MAX_CLIENTS = 64;

    private final OutboundGuard guard;
    private final Duration timeout;
    private final int maxConnections;
    private final Map<String, OutboundHttpClient> clients = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OutboundHttpClient> eldest) {
            if (size() > MAX_CLIENTS) {
                eldest.getValue().close();
                return true;
            }
            return false;
        }
    };

    TrustedClients(OutboundGuard guard, Duration timeout, int maxConnections) {
        this.guard = requireNonNull(guard, "guard is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.maxConnections = maxConnections;
    }

    /** The client whose TLS trusts exactly the CA certificates in {@code pem} (checked when the stream was defined). */
    synchronized OutboundHttpClient trusting(String pem) {
        return clients.computeIfAbsent(HexFormat.of().formatHex(Digests.sha256(pem)),
                key -> new OutboundHttpClient(guard, timeout, maxConnections, PemTrust.context(pem)));
    }

    @Override
    public synchronized void stop() {
        clients.values().forEach(OutboundHttpClient::close);
        clients.clear();
    }
}
