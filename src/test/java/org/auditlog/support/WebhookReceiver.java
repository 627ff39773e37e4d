package org.auditlog.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on loopback that keeps what it receives and answers with a chosen status. */
public final class WebhookReceiver implements AutoCloseable {
    /**
     * One request as received: its body, its {@code X-Audit-Signature}, every header (names in lower
     * case), the path it was sent to, and the status it was answered.
     */
    public record Received(String body, String signature, Map<String, String> headers, String path, int status) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile long delayMillis;
    private volatile String location;

    private final AtomicInteger inFlight = new AtomicInteger();

    public WebhookReceiver() throws IOException {
        this(0);
    }

    /** On loopback {@code port} (0: any free one), e.g. the port of a receiver that was closed, to come back on it. */
    public WebhookReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            inFlight.incrementAndGet();
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            int answer = status.get();
            received.add(new Received(new String(body, java.nio.charset.StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("X-Audit-Signature"), Map.copyOf(headers),
                    exchange.getRequestURI().getRawPath(), answer));
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (location != null) {
                exchange.getResponseHeaders().set("Location", location);
            }
            try {
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            } finally {
                inFlight.decrementAndGet();
            }
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    /** Requests received whose answer has not been sent yet (while {@link #delay} holds them). */
    public int inFlight() {
        return inFlight.get();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public void answer(int code) {
        status.set(code);
    }

    /** Answers 302 with this {@code Location} from now on. */
    public void redirectTo(String url) {
        location = url;
        status.set(302);
    }

    public void delay(long millis) {
        delayMillis = millis;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
