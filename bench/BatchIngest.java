package bench;

import static bench.Bench.step;
import static bench.Numbers.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;

/**
 * Step 1: batches from 4 clients beside raw COPY from 4 clients. {@code tenants} clients' keys: one
 * tenant (every batch extends the same chain, whose appends are serialized) or one tenant per client.
 */
final class BatchIngest {
    private BatchIngest() {
    }

    static void run(Bench bench, String name, List<String> keys, List<String> tenants, long rawSeqStart) throws Exception {
        Service service = bench.service;
        Postgres postgres = bench.postgres;
        int clients = 4;
        int batch = 1000;
        int batches = bench.sizes.batchEvents() / batch;
        step("batch ingest into " + tenants.size() + " tenant(s): " + batches + " batches of " + batch + " from "
                + clients + " clients, beside raw COPY");
        AtomicLong rawSeq = new AtomicLong(rawSeqStart);
        AtomicLong eventNo = new AtomicLong(rawSeqStart);
        AtomicLong client = new AtomicLong();
        String inTenants = "tenant in ('" + String.join("', '", tenants) + "')";
        double rawSeconds = 0;
        double serviceSeconds = 0;
        CpuUse rawCpu = new CpuUse(service.pid());
        CpuUse serviceCpu = new CpuUse(service.pid());
        long before = postgres.count("select count(*) from audit_events where " + inTenants);
        long rawBefore = postgres.count("select count(*) from audit_events where tenant = 'bench-raw'");
        // two rounds each, alternating, so that drift of a shared machine falls on both sides
        for (int round = 0; round < 2; round++) {
            int share = batches / 2;
            rawSeconds += rawCpu.measure(() -> Load.timed(clients, share, () -> {
                Connection c = postgres.connect();
                return () -> {
                    StringBuilder csv = new StringBuilder(batch * 400);
                    for (int i = 0; i < batch; i++) {
                        Events.csvRow(csv, "bench-raw", rawSeq.incrementAndGet(), eventNo.incrementAndGet());
                    }
                    ((PGConnection) c).getCopyAPI().copyIn("copy audit_events (" + Events.RAW_COLUMNS + ") from stdin with (format csv)",
                            new StringReader(csv.toString()));
                };
            }));
            serviceSeconds += serviceCpu.measure(() -> Load.timed(clients, share,
                    () -> service.batch(keys.get((int) (client.getAndIncrement() % keys.size())), eventNo, batch)));
        }
        long events = (long) (batches / 2) * 2 * batch;
        long stored = postgres.count("select count(*) from audit_events where " + inTenants) - before;
        long rawStored = postgres.count("select count(*) from audit_events where tenant = 'bench-raw'") - rawBefore;
        if (stored != events || rawStored != events) {
            bench.failures.add(name + " stored " + stored + " (service) and " + rawStored + " (raw) of " + events);
        }
        ObjectNode step = bench.result.putObject(name);
        step.put("events", events);
        step.put("clients", clients);
        step.put("tenants", tenants.size());
        step.put("batchSize", batch);
        step.put("serviceStored", stored);
        step.put("serviceEventsPerSecond", Math.round(events / serviceSeconds));
        step.put("rawCopyEventsPerSecond", Math.round(events / rawSeconds));
        step.put("ratio", round(rawSeconds / serviceSeconds, 2));
        step.put("target", 0.6);
        step.set("serviceCpu", serviceCpu.json(events));
        step.set("rawCpu", rawCpu.json(events));
    }
}
