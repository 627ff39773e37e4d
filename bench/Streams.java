package bench;

import static bench.Bench.JSON;
import static bench.Bench.step;
import static bench.Http.expect;
import static bench.Numbers.round;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Step 8: one webhook stream delivering tenant {@code bench}'s whole chain (the events of the ingest
 * steps) to a receiver on loopback in this process, once in {@code native} and once in {@code ocsf},
 * each timed from its creation until its cursor reaches the head. The twin does the same work with
 * PostgreSQL alone: it reads the same rows by seq in batches of the same size as JSON made by
 * PostgreSQL ({@code to_jsonb}) and posts each batch as NDJSON to the same receiver.
 */
final class Streams {
    private static final String SECRET = "a-benchmark-stream-secret";
    private static final int BATCH = 500; // streams.batchSize as shipped

    private Streams() {
    }

    static void run(Bench bench, String adminKey) throws Exception {
        long events = bench.postgres.count("select count(*) from audit_events where tenant = 'bench'");
        step("stream delivery of tenant bench's " + events + " events to a loopback webhook, native and ocsf, "
                + "beside PostgreSQL's to_jsonb posted in the same batches");
        Receiver receiver = new Receiver();
        try {
            ObjectNode result = bench.result.putObject("streams");
            result.put("events", events);
            result.put("batchSize", BATCH);
            double raw = twin(bench.postgres, receiver);
            result.put("rawSeconds", round(raw, 2));
            result.put("rawEventsPerSecond", Math.round(events / raw));
            for (String format : new String[] {"native", "ocsf"}) {
                ObjectNode side = result.putObject(format);
                receiver.reset();
                long start = System.nanoTime();
                String id = create(bench.service, adminKey, format, receiver.url());
                long delivered = awaitHead(bench.service, adminKey, id);
                double seconds = (System.nanoTime() - start) / 1e9;
                expect(Http.send("DELETE", bench.service.base() + "/api/v1/streams/" + id, adminKey, null,
                        Duration.ofSeconds(30)), 204, "stream delete");
                long sent = bench.postgres.count("select count(*) from audit_events where tenant = 'bench' and seq <= "
                        + delivered);
                if (receiver.lines.get() != sent) {
                    bench.failures.add("streams " + format + ": the receiver got " + receiver.lines.get() + " events of "
                            + sent);
                }
                side.put("events", sent);
                side.put("seconds", round(seconds, 2));
                side.put("eventsPerSecond", Math.round(sent / seconds));
                side.put("bytes", receiver.bytes.get());
                side.put("requests", receiver.requests.get());
                side.put("ratio", round(raw / seconds * sent / events, 2));
            }
        } finally {
            receiver.close();
        }
    }

    private static String create(Service service, String key, String format, String url) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("name", "bench-" + format).put("type", "webhook")
                .put("format", format).put("url", url).put("secret", SECRET);
        Http.Reply reply = Http.send("POST", service.base() + "/api/v1/streams", key, body.toString(), Duration.ofSeconds(30));
        expect(reply, 201, "stream create");
        return JSON.readTree(reply.body()).get("id").asText();
    }

    /** Polls the stream's status until nothing is left to deliver; answers the seq it delivered through. */
    private static long awaitHead(Service service, String key, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            Http.Reply reply = Http.send("GET", service.base() + "/api/v1/streams/" + id, key, null, Duration.ofSeconds(30));
            expect(reply, 200, "stream status");
            JsonNode status = JSON.readTree(reply.body());
            if (status.get("lagEvents").asLong() == 0 && status.get("deliveredThroughSeq").asLong() > 0) {
                return status.get("deliveredThroughSeq").asLong();
            }
            if (!status.get("lastError").isNull()) {
                throw new IllegalStateException("the stream failed: " + status.get("lastError").asText());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the stream did not reach the head within 30 minutes");
    }

    /** The raw side: PostgreSQL's own JSON of each row, read by seq in batches and posted as NDJSON. */
    private static double twin(Postgres postgres, Receiver receiver) throws Exception {
        receiver.reset();
        long start = System.nanoTime();
        try (Connection c = postgres.connect();
             // the JSON of the batch's rows only: with to_jsonb beside "order by ... limit", a plan that sorts
             // (the connection's own choice after its fifth run) made the JSON of every row past the cursor
             PreparedStatement read = c.prepareStatement("select seq, to_jsonb(e)::text from (select * from audit_events "
                     + "where tenant = 'bench' and seq > ? order by seq limit " + BATCH + ") e order by seq")) {
            long after = 0;
            while (true) {
                read.setLong(1, after);
                StringBuilder body = new StringBuilder();
                int rows = 0;
                try (ResultSet rs = read.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getLong(1);
                        body.append(rs.getString(2)).append('\n');
                        rows++;
                    }
                }
                if (rows == 0) {
                    break;
                }
                HttpURLConnection post = Http.open("POST", receiver.url(), null, Duration.ofSeconds(30));
                byte[] bytes = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                post.setDoOutput(true);
                post.setRequestProperty("Content-Type", "application/x-ndjson");
                post.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = post.getOutputStream()) {
                    out.write(bytes);
                }
                if (post.getResponseCode() != 200) {
                    throw new IllegalStateException("the receiver answered " + post.getResponseCode());
                }
                post.getInputStream().close();
            }
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** A loopback HTTP server that reads each request to the end, counts its lines and bytes, and answers 200. */
    private static final class Receiver implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService threads = Executors.newFixedThreadPool(2);
        final AtomicLong lines = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong requests = new AtomicLong();

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", exchange -> {
                byte[] buffer = new byte[65_536];
                try (InputStream in = exchange.getRequestBody()) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        bytes.addAndGet(n);
                        for (int i = 0; i < n; i++) {
                            if (buffer[i] == '\n') {
                                lines.incrementAndGet();
                            }
                        }
                    }
                }
                requests.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.setExecutor(threads);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/siem";
        }

        void reset() {
            lines.set(0);
            bytes.set(0);
            requests.set(0);
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow(); // its threads would keep the benchmark's process from ending
        }
    }
}
