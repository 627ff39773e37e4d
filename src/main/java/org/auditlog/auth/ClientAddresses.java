package org.auditlog.auth;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The address of the client behind a request: the peer's, unless the peer is one of
 * {@code auth.trustedProxies}; then the {@code X-Forwarded-For} list is read from its right end,
 * skipping trusted proxies, and the first address that is not one is the client. Addresses a
 * client wrote further left are never believed, and only literal addresses are read (no lookups).
 */
final class ClientAddresses {
    private final InetAddressSet trustedProxies = new InetAddressSet();

    ClientAddresses(List<String> trustedProxies) {
        for (String proxy : trustedProxies) {
            try {
                this.trustedProxies.add(proxy.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("auth.trustedProxies: " + proxy
                        + " is not an address, a CIDR block or a range of addresses", e);
            }
        }
    }

    /** Whether the peer is one of {@code auth.trustedProxies}, whose forwarding headers are believed. */
    boolean trusted(String peer) {
        return literal(peer).filter(trustedProxies::test).isPresent();
    }

    String clientOf(String peer, String forwardedFor) {
        Optional<InetAddress> hop = literal(peer);
        if (hop.isEmpty() || forwardedFor == null || !trustedProxies.test(hop.get())) {
            return peer;
        }
        String[] forwarded = forwardedFor.split(",");
        String client = peer;
        for (int i = forwarded.length - 1; i >= 0; i--) {
            String candidate = forwarded[i].trim();
            Optional<InetAddress> address = literal(candidate);
            if (address.isEmpty()) {
                return client;
            }
            client = InetAddresses.toAddrString(address.get());
            if (!trustedProxies.test(address.get())) {
                return client;
            }
        }
        return client;
    }

    private static Optional<InetAddress> literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return Optional.empty();
        }
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return InetAddresses.isInetAddress(bare) ? Optional.of(InetAddresses.forString(bare)) : Optional.empty();
    }
}
