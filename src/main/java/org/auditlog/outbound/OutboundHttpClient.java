package org.auditlog.outbound;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.auditlog.common.RequestIds;

/**
 * POSTs to destinations a tenant named. The connection goes only to an address the guard checked
 * in the same lookup (its DNS resolver is the guard), redirects are never followed, no proxy or
 * cookie is used, and an attempt that has not been answered within the timeout is cut off.
 */
public final class OutboundHttpClient implements Closeable {
    private final CloseableHttpClient http;
    private final Duration timeout;
    private final ScheduledExecutorService deadlines;

    /** The whole request took longer than the timeout. */
    public static final class DeadlineExceededException extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        DeadlineExceededException(Duration timeout) {
            super("no answer within " + timeout.toMillis() + " ms");
        }
    }

    /** An answer: its status code and at most the first {@link #MAX_ANSWER} bytes of its body. */
    public record Response(int status, byte[] body) {
    }

    /** The most of an answer's body {@link #exchange} reads; destinations answer a few hundred bytes. */
    public static final int MAX_ANSWER = 65_536;

    public OutboundHttpClient(OutboundGuard guard, Duration timeout, int maxConnections) {
        this(guard, timeout, maxConnections, null);
    }

    /** {@code tls}: the TLS context for https destinations (a private CA's, see {@link PemTrust}); null: the runtime's. */
    public OutboundHttpClient(OutboundGuard guard, Duration timeout, int maxConnections, SSLContext tls) {
        requireNonNull(guard, "guard is null");
        this.timeout = requireNonNull(timeout, "timeout is null");
        Timeout limit = Timeout.ofMilliseconds(timeout.toMillis());
        var connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new GuardedResolver(guard))
                .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(limit).setSocketTimeout(limit).build())
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setTlsSocketStrategy(tls == null ? DefaultClientTlsStrategy.createDefault() : new DefaultClientTlsStrategy(tls))
                .build();
        this.http = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(limit)
                        .setResponseTimeout(limit).setRedirectsEnabled(false).build())
                .build();
        this.deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "outbound-deadlines");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * POSTs a JSON body and answers the status code, without reading the answer's body.
     *
     * @throws PrivateDestinationException the host is, or now resolves to, a private address
     * @throws InterruptedIOException no answer within the timeout
     * @throws IOException the destination could not be reached
     */
    public int postJson(URI url, Map<String, String> headers, byte[] body) throws IOException {
        return post(url, headers, body, "application/json");
    }

    /** {@link #postJson} with a body of another media type, such as {@code application/x-ndjson}. */
    public int post(URI url, Map<String, String> headers, byte[] body, String contentType) throws IOException {
        return send(url, headers, body, contentType, false).status();
    }

    /**
     * {@link #post}, answering the answer's body too (at most {@link #MAX_ANSWER} bytes), for destinations
     * whose answer says more than its status (a Splunk HEC acknowledgement id).
     */
    public Response exchange(URI url, Map<String, String> headers, byte[] body, String contentType) throws IOException {
        return send(url, headers, body, contentType, true);
    }

    private Response send(URI url, Map<String, String> headers, byte[] body, String contentType, boolean read)
            throws IOException {
        HttpPost post = new HttpPost(url);
        RequestIds.current().ifPresent(id -> post.setHeader(RequestIds.HEADER, id));
        headers.forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.create(contentType)));
        ScheduledFuture<?> deadline = deadlines.schedule(post::cancel, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (ClassicHttpResponse response = http.executeOpen(null, post, null)) {
            byte[] answer = new byte[0];
            if (read && response.getEntity() != null) {
                try (InputStream in = response.getEntity().getContent()) {
                    answer = in.readNBytes(MAX_ANSWER);
                }
            }
            return new Response(response.getCode(), answer);
        } catch (IOException e) {
            if (post.isCancelled()) {
                throw new DeadlineExceededException(timeout);
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Why an exchange with a tenant's {@code destination} (such as "webhook") failed, for an error the
     * tenant sees: what went wrong, never the request's headers or body, where credentials travel.
     */
    public String failure(Exception e, String destination) {
        if (e instanceof PrivateDestinationException) {
            return PrivateDestinationException.REFUSED;
        }
        if (e instanceof InterruptedIOException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return "could not reach the " + destination + ": " + e.getClass().getSimpleName();
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        http.close(CloseMode.IMMEDIATE);
    }

    /** Resolves through the guard: the addresses it answers are the ones the connection tries. */
    private static final class GuardedResolver implements DnsResolver {
        private final OutboundGuard guard;

        GuardedResolver(OutboundGuard guard) {
            this.guard = guard;
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            return guard.resolve(host).toArray(InetAddress[]::new);
        }

        @Override
        public List<InetSocketAddress> resolve(String host, int port) throws UnknownHostException {
            return guard.resolve(host).stream().map(address -> new InetSocketAddress(address, port)).toList();
        }

        @Override
        public String resolveCanonicalHostname(String host) {
            return host;
        }
    }
}
