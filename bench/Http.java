package bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Requests with the JDK's blocking HTTP/1.1 client, on a kept-alive connection of the calling thread's.
 * Not java.net.http's HttpClient: its hand-offs between threads added about 1.6 ms to the p95 of a
 * query here (3.16 against 1.54 ms, same service), which is the client's time, not the service's.
 */
final class Http {
    static {
        // HttpURLConnection keeps this many idle connections per server for reuse, 5 unless told: the
        // 64 single-event clients each keep theirs
        System.setProperty("http.maxConnections", "128");
    }

    private Http() {
    }

    /** An answer: its status and its body. */
    record Reply(int statusCode, String body) {
    }

    static Reply send(String method, String url, String key, String body, Duration timeout) throws IOException {
        HttpURLConnection c = open(method, url, key, timeout);
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.setFixedLengthStreamingMode(bytes.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) { // read to the end: the connection is reused
            return new Reply(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static HttpURLConnection open(String method, String url, String key, Duration timeout) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5000);
        c.setReadTimeout((int) timeout.toMillis());
        if (key != null) {
            c.setRequestProperty("Authorization", "Bearer " + key);
        }
        return c;
    }

    static void expect(Reply reply, int status, String what) {
        if (reply.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + reply.statusCode() + ": " + reply.body());
        }
    }
}
