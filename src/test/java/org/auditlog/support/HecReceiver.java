package org.auditlog.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A Splunk HTTP Event Collector on loopback, over HTTPS with a certificate of a test CA made for the
 * run ({@link #caPem()}): {@code POST /services/collector/event} checks {@code Authorization: Splunk
 * <token>} (401 code 4 otherwise), reads the concatenated event envelopes (400 code 6 when they are not
 * JSON objects, 12 when one has no {@code event}) and keeps them; with indexer acknowledgement it needs
 * {@code X-Splunk-Request-Channel} (400 code 10) and answers an {@code ackId} that
 * {@code POST /services/collector/ack} confirms, unless acks are withheld. It can be made busy (503 code 9).
 */
public final class HecReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The indexes this HEC has; an envelope naming another is refused (400, code 7), as Splunk does. */
    public static final Set<String> INDEXES = Set.of("main", "audit_trail");
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static Tls tls;

    /** One event request that was accepted: its channel header and its envelopes. */
    public record Batch(String channel, List<JsonNode> envelopes) {
    }

    private record Tls(String caPem, SSLContext server) {
    }

    private final HttpsServer server;
    private final String token;
    private final boolean acks;
    private final List<Batch> batches = new CopyOnWriteArrayList<>();
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextAck = new AtomicLong();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger busyAnswers = new AtomicInteger();
    private final AtomicInteger refusedTokens = new AtomicInteger();
    private final AtomicInteger ackQueries = new AtomicInteger();
    private volatile boolean withholdAcks;

    /** {@code acks}: whether the token has indexer acknowledgement on. */
    public HecReceiver(String token, boolean acks) throws IOException {
        this.token = token;
        this.acks = acks;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls().server()));
        server.createContext("/services/collector/event", exchange -> handle(exchange, this::event));
        server.createContext("/services/collector/ack", exchange -> handle(exchange, this::ack));
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /** The PEM of the CA that signed every receiver's certificate: a stream's {@code caCertificate}. */
    public static String caPem() {
        return tls().caPem();
    }

    /** The HEC's base URL, as a stream's {@code url}. */
    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Batch> batches() {
        return List.copyOf(batches);
    }

    /** Every envelope accepted, in the order received. */
    public List<JsonNode> envelopes() {
        return batches.stream().flatMap(b -> b.envelopes().stream()).toList();
    }

    /** Answers the next {@code requests} event requests 503 code 9 (server is busy). */
    public void busy(int requests) {
        busy.set(requests);
    }

    public int busyAnswers() {
        return busyAnswers.get();
    }

    /** Event requests refused for their token. */
    public int refusedTokens() {
        return refusedTokens.get();
    }

    /** While true, {@code /services/collector/ack} says of every ackId that it is not indexed yet. */
    public void withholdAcks(boolean withhold) {
        withholdAcks = withhold;
    }

    public int ackQueries() {
        return ackQueries.get();
    }

    private interface Handler {
        Answer answer(HttpExchange exchange, byte[] body) throws IOException;
    }

    private record Answer(int status, String body) {
        static Answer ok(String body) {
            return new Answer(200, body);
        }
    }

    private void handle(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Answer answer;
            if (!("Splunk " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refusedTokens.incrementAndGet();
                answer = new Answer(401, "{\"text\":\"Invalid token\",\"code\":4}");
            } else if (acks && exchange.getRequestHeaders().getFirst("X-Splunk-Request-Channel") == null) {
                answer = new Answer(400, "{\"text\":\"Data channel is missing\",\"code\":10}");
            } else {
                answer = handler.answer(exchange, body);
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private Answer event(HttpExchange exchange, byte[] body) throws IOException {
        if (busy.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            busyAnswers.incrementAndGet();
            return new Answer(503, "{\"text\":\"Server is busy\",\"code\":9}");
        }
        List<JsonNode> envelopes = new ArrayList<>();
        try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(body)) {
            while (values.hasNext()) {
                JsonNode envelope = values.next();
                if (!envelope.isObject()) {
                    return new Answer(400, "{\"text\":\"Invalid data format\",\"code\":6}");
                }
                if (envelope.has("index") && !INDEXES.contains(envelope.get("index").asText())) {
                    return new Answer(400, "{\"text\":\"Incorrect index\",\"code\":7,\"invalid-event-number\":"
                            + envelopes.size() + "}");
                }
                if (!envelope.has("event")) {
                    return new Answer(400, "{\"text\":\"Event field is required\",\"code\":12}");
                }
                envelopes.add(envelope);
            }
        } catch (IOException | RuntimeException e) {
            return new Answer(400, "{\"text\":\"Invalid data format\",\"code\":6}");
        }
        batches.add(new Batch(exchange.getRequestHeaders().getFirst("X-Splunk-Request-Channel"), envelopes));
        if (!acks) {
            return Answer.ok("{\"text\":\"Success\",\"code\":0}");
        }
        long ackId = nextAck.getAndIncrement();
        pending.add(ackId);
        return Answer.ok("{\"text\":\"Success\",\"code\":0,\"ackId\":" + ackId + "}");
    }

    private Answer ack(HttpExchange exchange, byte[] body) throws IOException {
        ackQueries.incrementAndGet();
        Map<String, Boolean> answers = new java.util.LinkedHashMap<>();
        for (JsonNode id : JSON.readTree(body).path("acks")) {
            answers.put(id.asText(), !withholdAcks && pending.contains(id.asLong()));
        }
        return Answer.ok(JSON.writeValueAsString(Map.of("acks", answers)));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The test CA and a server certificate it signed for 127.0.0.1, made once a run with the JDK's keytool. */
    private static synchronized Tls tls() {
        if (tls == null) {
            try {
                tls = makeTls();
            } catch (Exception e) {
                throw new IllegalStateException("could not make the test CA", e);
            }
        }
        return tls;
    }

    private static Tls makeTls() throws Exception {
        Path dir = Files.createTempDirectory("hec-tls");
        try {
            keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=Audit test HEC CA", "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
            keytool(dir, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                    "CN=127.0.0.1", "-validity", "2", "-keystore", "server.p12");
            keytool(dir, "-certreq", "-alias", "server", "-keystore", "server.p12", "-file", "server.csr");
            keytool(dir, "-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", "server.csr", "-outfile",
                    "server.crt", "-ext", "san=ip:127.0.0.1", "-ext", "eku=serverAuth", "-validity", "2");
            KeyStore ca = load(dir.resolve("ca.p12"));
            KeyStore generated = load(dir.resolve("server.p12"));
            Certificate caCertificate = ca.getCertificate("ca");
            Certificate serverCertificate;
            try (InputStream in = Files.newInputStream(dir.resolve("server.crt"))) {
                serverCertificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            KeyStore server = KeyStore.getInstance("PKCS12");
            server.load(null, null);
            server.setKeyEntry("server", (PrivateKey) generated.getKey("server", PASSWORD), PASSWORD,
                    new Certificate[] {serverCertificate, caCertificate});
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(server, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            String pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(caCertificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
            return new Tls(pem, context);
        } finally {
            Folders.delete(dir);
        }
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private static void keytool(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD), "-noprompt"));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
