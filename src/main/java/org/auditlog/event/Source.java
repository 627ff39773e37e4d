package org.auditlog.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.common.net.InetAddresses;
import java.util.Optional;

/** Where it came from; {@code ip} is held in its canonical text form (RFC 5952 for IPv6). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Source(String ip, String userAgent) {
    /**
     * The canonical text of an IPv4 or IPv6 address, so that one address written two ways is stored
     * and matched as one; empty when {@code text} is not an address (host names are not resolved).
     */
    public static Optional<String> canonicalIp(String text) {
        if (!InetAddresses.isInetAddress(text)) {
            return Optional.empty();
        }
        return Optional.of(InetAddresses.toAddrString(InetAddresses.forString(text)));
    }
}
