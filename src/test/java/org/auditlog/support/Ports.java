package org.auditlog.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Ports for servers the tests start. */
public final class Ports {
    private Ports() {
    }

    /**
     * A port that is free now, chosen below Linux's ephemeral range (32768 and up) so that the
     * outgoing connections of other tests, which take ephemeral ports, cannot land on it between
     * this check and the server's bind.
     */
    public static int free() {
        for (int tries = 0; tries < 200; tries++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            try (ServerSocket socket = new ServerSocket(candidate)) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new UncheckedIOException(new IOException("no free port between 20000 and 32000"));
    }
}
