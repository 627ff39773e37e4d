package bench;

import static bench.Bench.step;
import static bench.DataSet.LOAD_BASE;
import static bench.Numbers.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import org.postgresql.PGConnection;

/** Step 4: a CSV export of tenant t0 read to the end, beside COPY ... TO STDOUT WITH CSV of the same rows. */
final class Export {
    private Export() {
    }

    static void run(Bench bench, String key) throws Exception {
        Instant from = LOAD_BASE;
        Instant to = LOAD_BASE.plusSeconds(62L * bench.sizes.exportRows() + 1);
        long expected = bench.postgres.count("select count(*) from audit_events where tenant = 't0' and occurred_at >= '" + from
                + "' and occurred_at < '" + to + "'");
        step("CSV export of " + expected + " events, beside COPY ... TO STDOUT WITH CSV");
        String columns = "id, seq, occurred_at, received_at, tenant, category, action, outcome, actor_type, actor_id, "
                + "actor_name, resource_type, resource_id, resource_name, source_ip, user_agent, request_id, reason, "
                + "metadata, changes, encode(prev_hash, 'hex'), encode(hash, 'hex')";
        Counter raw = new Counter();
        long t = System.nanoTime();
        try (Connection c = bench.postgres.connect()) {
            ((PGConnection) c).getCopyAPI().copyOut("copy (select " + columns + " from audit_events where tenant = 't0' "
                    + "and occurred_at >= '" + from + "' and occurred_at < '" + to + "' order by seq) to stdout with csv header", raw);
        }
        double rawSeconds = (System.nanoTime() - t) / 1e9;
        Counter http = new Counter();
        t = System.nanoTime();
        HttpURLConnection reply = Http.open("GET", bench.service.base() + "/api/v1/exports/stream?format=csv&from=" + from + "&to=" + to,
                key, Duration.ofMinutes(15));
        try (InputStream in = reply.getResponseCode() == 200 ? reply.getInputStream() : reply.getErrorStream()) {
            in.transferTo(http);
        }
        double serviceSeconds = (System.nanoTime() - t) / 1e9;
        if (reply.getResponseCode() != 200 || http.lines - 1 != expected || raw.lines - 1 != expected) {
            bench.failures.add("export: status " + reply.getResponseCode() + ", " + (http.lines - 1) + " rows (service) and "
                    + (raw.lines - 1) + " (raw) of " + expected);
        }
        ObjectNode step = bench.result.putObject("export");
        step.put("rows", expected);
        step.put("heap", "-Xmx256m");
        step.put("serviceBytes", http.bytes);
        step.put("rawBytes", raw.bytes);
        step.put("serviceSeconds", round(serviceSeconds, 2));
        step.put("rawSeconds", round(rawSeconds, 2));
        step.put("serviceRowsPerSecond", Math.round(expected / serviceSeconds));
        step.put("rawRowsPerSecond", Math.round(expected / rawSeconds));
        step.put("ratio", round(rawSeconds / serviceSeconds, 2));
        step.put("target", 0.5);
    }

    /** Counts bytes and lines of what it is given, and keeps none of it. */
    private static final class Counter extends OutputStream {
        long bytes;
        long lines;

        @Override
        public void write(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
            for (int i = off; i < off + len; i++) {
                if (b[i] == '\n') {
                    lines++;
                }
            }
        }
    }
}
