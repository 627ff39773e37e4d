package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.outbound.PemTrust;
import org.auditlog.outbound.PrivateAddresses;
import org.auditlog.outbound.PrivateDestinationException;

/**
 * Sends a batch of syslog frames over one connection of its own, TCP or TLS, to an address the
 * {@link OutboundGuard} allows (the one DNS lookup of the attempt). Syslog has no application-level
 * acknowledgement: the batch counts as acknowledged when every byte was written, the service closed
 * its side (over TLS with {@code close_notify}) and the receiver closed the connection in turn, which
 * it does after reading to the end. That says the receiver read the batch, not that it stored it.
 * The whole attempt, connecting included, must end within {@code timeout}.
 */
final class SyslogTransport {
    /** Where a syslog stream sends; {@code caCertificate} (PEM) only for TLS, null for the runtime's trust. */
    record Destination(String host, int port, boolean tls, String caCertificate) {
        /** {@code host:port} for messages (an IPv6 literal in brackets). */
        String label() {
            return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "syslog-deadlines");
        thread.setDaemon(true);
        return thread;
    });

    private final OutboundGuard guard;
    private final Duration timeout;

    SyslogTransport(OutboundGuard guard, Duration timeout) {
        this.guard = requireNonNull(guard, "guard is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
    }

    StreamSender.Result send(Destination destination, List<byte[]> frames) {
        String label = destination.label();
        AtomicBoolean expired = new AtomicBoolean();
        AtomicReference<Socket> open = new AtomicReference<>();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            closeQuietly(open.get());
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            Socket socket = connect(destination, open, expired);
            try (Socket connection = destination.tls() ? tls(socket, destination) : socket) {
                OutputStream out = connection.getOutputStream();
                for (byte[] frame : frames) {
                    out.write(frame);
                }
                out.flush();
                connection.shutdownOutput();
                InputStream in = connection.getInputStream();
                byte[] ignored = new byte[512];
                while (in.read(ignored) >= 0) {
                    // a syslog receiver answers nothing; wait for it to close
                }
            }
            return expired.get() ? late(label) : StreamSender.Result.acknowledged();
        } catch (PrivateDestinationException e) {
            return StreamSender.Result.retry(PrivateDestinationException.REFUSED);
        } catch (UnknownHostException e) {
            return StreamSender.Result.retry("could not resolve the host of " + label);
        } catch (IOException e) {
            if (expired.get() || e instanceof SocketTimeoutException) {
                return late(label);
            }
            if (e instanceof ConnectException) {
                return StreamSender.Result.retry("could not connect to " + label + ": connection refused");
            }
            if (e instanceof SSLException) {
                return StreamSender.Result.retry("TLS with " + label + " failed: " + reason(e));
            }
            return StreamSender.Result.retry("could not send to " + label + ": " + e.getClass().getSimpleName());
        } finally {
            deadline.cancel(false);
            closeQuietly(open.get());
        }
    }

    private StreamSender.Result late(String label) {
        return StreamSender.Result.retry("no answer from " + label + " within " + timeout.toMillis() + " ms");
    }

    /**
     * A socket connected to the first of the guard's addresses for the host that answers; each socket
     * tried is in {@code open} for the deadline to close.
     */
    private Socket connect(Destination destination, AtomicReference<Socket> open, AtomicBoolean expired)
            throws IOException {
        IOException last = null;
        for (InetAddress address : guard.resolve(destination.host())) {
            Socket socket = new Socket();
            open.set(socket);
            if (expired.get()) {
                throw new SocketTimeoutException();
            }
            try {
                socket.connect(new InetSocketAddress(address, destination.port()), (int) timeout.toMillis());
                socket.setSoTimeout((int) timeout.toMillis());
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
            }
        }
        throw last != null ? last : new UnknownHostException(destination.host());
    }

    /** TLS over the connected socket, the certificate checked against the host as HTTPS checks it. */
    private static SSLSocket tls(Socket socket, Destination destination) throws IOException {
        SSLContext context;
        try {
            context = destination.caCertificate() == null ? SSLContext.getDefault()
                    : PemTrust.context(destination.caCertificate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the runtime has no default TLS context", e);
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket,
                PrivateAddresses.normalize(destination.host()), destination.port(), true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    /** Why TLS failed, in the runtime's words (a syslog stream has no secret to leak), kept short. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }

    private static void closeQuietly(Socket socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // closing what failed already
        }
    }
}
