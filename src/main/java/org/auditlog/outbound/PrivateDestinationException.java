package org.auditlog.outbound;

import java.net.UnknownHostException;

/**
 * A destination that is, or resolves to, a private address the configuration does not allow. An
 * {@link UnknownHostException}, so HTTP clients pass it through from their DNS resolver unchanged.
 */
public final class PrivateDestinationException extends UnknownHostException {
    private static final long serialVersionUID = 1L;

    /** What a failed attempt to send to such a destination says. */
    public static final String REFUSED = "refused: the destination is a private address (see outbound.allowPrivateNetworks)";

    public PrivateDestinationException(String host) {
        super("the destination " + host + " is a private address");
    }
}
