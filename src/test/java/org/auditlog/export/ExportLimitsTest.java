package org.auditlog.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.auditlog.support.BulkEvents;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed exports recorded around their life, and the per-tenant caps on exports
 * ({@code limits.concurrentStreamedExports} 2 and {@code limits.queuedExports} 5, the defaults).
 */
class ExportLimitsTest {
    private static final TestApp APP = TestApp.get();
    /** Enough rows that a stream whose client stops reading is still running. */
    private static final int ROWS = 60_000;
    private static String tenant;
    private static String key;

    @BeforeAll
    static void aLargeTenant() {
        tenant = TestApp.newTenant("export-limits");
        BulkEvents.load(tenant, ROWS);
        key = APP.createKey(tenant, "auditor");
    }

    @Test
    void aClientThatGoesAwayMidStreamIsRecordedAsAborted() throws Exception {
        try (SlowReader reader = SlowReader.open(key, "ndjson&category=bulk")) {
            reader.firstBytes();
            var started = TestApp.rows("select resource_id from audit_events where tenant = ? "
                    + "and action = 'export.streamed' and metadata->>'category' = 'bulk'", tenant);
            assertThat(started).as("recorded before the first byte").hasSize(1);
            assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action in "
                    + "('export.completed', 'export.aborted') and resource_id = ?", tenant, started.get(0).get("resource_id")))
                    .as("no end while the stream runs").isEmpty();
        }
        TestApp.eventually("the abort is recorded", () -> !TestApp.rows("select 1 from audit_events where tenant = ? "
                + "and action = 'export.aborted' and category = 'audit_access' and metadata->>'category' = 'bulk' "
                + "and metadata->>'reason' = 'the client went away' and (metadata->>'rowCount')::int < " + ROWS + "", tenant)
                .isEmpty());
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'export.completed' "
                + "and metadata->>'category' = 'bulk'", tenant)).isEmpty();
    }

    @Test
    void aThirdStreamOfATenantAnswers429WhileAnotherTenantStreams() throws Exception {
        String other = TestApp.newTenant("export-limits-other");
        String otherKey = APP.createKey(other, "ingest", "auditor");
        APP.post("/api/v1/events", otherKey, Map.of("action", "doc.view", "actor", Map.of("id", "x")));
        try (SlowReader first = SlowReader.open(key, "csv"); SlowReader second = SlowReader.open(key, "csv")) {
            first.firstBytes();
            second.firstBytes();
            var third = APP.get("/api/v1/exports/stream?format=csv", key);
            assertThat(third.status()).as(third.toString()).isEqualTo(429);
            assertThat(third.header("Retry-After")).matches("[1-9][0-9]*");
            assertThat(third.json().get("message").asText()).contains("limits.concurrentStreamedExports");
            assertThat(APP.get("/api/v1/exports/stream?format=csv", otherKey).status()).isEqualTo(200);
        }
        TestApp.eventually("the streams' slots are given back", () ->
                APP.get("/api/v1/exports/stream?format=csv&actorId=nobody", key).status() == 200);
    }

    @Test
    void concurrentRequestsDoNotPassTheQueuedExportsCapAndOtherTenantsAreNotAffected() throws Exception {
        String capped = TestApp.newTenant("export-queue");
        BulkEvents.load(capped, ROWS);
        String cappedKey = APP.createKey(capped, "auditor");
        // four exports already waiting (as if the scheduler were busy): one more may be queued
        for (int i = 0; i < 4; i++) {
            TestApp.rows("insert into exports (id, tenant, format, filters, status, created_by, created_at) "
                    + "values (gen_random_uuid(), ?, 'csv', '{}', 'queued', 'test', now()) returning id", capped);
        }
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<TestApp.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            replies.add(clients.submit((Callable<TestApp.Reply>) () ->
                    APP.post("/api/v1/exports", cappedKey, Map.of("format", "csv"))));
        }
        int accepted = 0;
        for (Future<TestApp.Reply> reply : replies) {
            TestApp.Reply answer = reply.get();
            if (answer.status() == 202) {
                accepted++;
            } else {
                assertThat(answer.status()).as(answer.toString()).isEqualTo(429);
                assertThat(answer.header("Retry-After")).matches("[1-9][0-9]*");
                assertThat(answer.json().get("message").asText()).contains("limits.queuedExports");
            }
        }
        clients.shutdown();
        assertThat(accepted).as("exports accepted beside four waiting, with a cap of five").isEqualTo(1);
        assertThat(APP.post("/api/v1/exports", key, Map.of("format", "csv")).status()).as("another tenant")
                .isEqualTo(202);
    }

    /** A raw HTTP client that reads the first bytes of a streamed export, then stops reading. */
    private static final class SlowReader implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;

        private SlowReader(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
        }

        static SlowReader open(String key, String formatAndFilters) throws IOException {
            URI base = URI.create(APP.baseUrl());
            Socket socket = new Socket();
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET /api/v1/exports/stream?format=" + formatAndFilters + " HTTP/1.1\r\n"
                    + "Host: " + base.getHost() + "\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new SlowReader(socket);
        }

        /** Reads until the answer's body has begun, and checks that it is a 200. */
        void firstBytes() throws IOException {
            byte[] buffer = new byte[8192];
            StringBuilder head = new StringBuilder();
            while (!head.toString().contains("\r\n\r\n")) {
                int n = in.read(buffer);
                if (n < 0) {
                    throw new IOException("closed before the body: " + head);
                }
                head.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 200");
        }

        @Override
        public void close() throws IOException {
            socket.setSoLinger(true, 0); // a reset, as a client that crashed or gave up would leave
            socket.close();
        }
    }
}
