package bench;

import static bench.Bench.step;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Step 0, not measured. A long-running service has compiled its hot paths; one just started has not.
 * Single events and queries for a while, then batches for a third of that, so that the steps measure
 * the service warm (without the batches, the first round of the batch step ran a cold batch path:
 * 0.53 to 0.58 of COPY, against 0.72 to 0.93 in the rounds after it).
 */
final class WarmUp {
    private WarmUp() {
    }

    static void run(Bench bench, String ingestKey, String auditorKey) throws Exception {
        Service service = bench.service;
        double seconds = bench.sizes.warmUpSeconds();
        step("warm-up: " + seconds + " s of single events and queries, " + seconds / 3 + " s of batches, not measured");
        AtomicLong eventNo = new AtomicLong(30_000_000_000L);
        Load ingest = Load.run(64, seconds, service.singleEvents(ingestKey, eventNo));
        List<Callable<Queries.Query>> kinds = Queries.kinds(bench, auditorKey);
        AtomicLong n = new AtomicLong();
        Load reads = Load.run(2, seconds / 2, () -> () -> service.getJson(auditorKey,
                kinds.get((int) (n.getAndIncrement() % kinds.size())).call().path()));
        Load batches = Load.run(4, seconds / 3, () -> service.batch(ingestKey, eventNo, 1000));
        if (ingest.errors() + reads.errors() + batches.errors() > 0) {
            bench.failures.add("warm-up answered errors");
        }
        bench.result.putObject("warmUp").put("seconds", seconds).put("events", ingest.done()).put("queries", reads.done())
                .put("batches", batches.done());
    }
}
