package bench;

import static bench.Numbers.round;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Step 6: how long the service took to start, and its resident memory at rest and after the other steps. */
final class Footprint {
    private Footprint() {
    }

    /** Answers the step's JSON node, placed in the result now so that it comes before the other steps. */
    static ObjectNode atRest(Bench bench) throws IOException {
        ObjectNode footprint = bench.result.putObject("footprint");
        footprint.put("startSeconds", round(bench.service.startSeconds(), 2));
        footprint.put("rssAtRestMiB", bench.service.rssMiB("VmRSS"));
        return footprint;
    }

    static void afterLoad(Bench bench, ObjectNode footprint) throws IOException {
        footprint.put("rssAfterLoadMiB", bench.service.rssMiB("VmRSS"));
        footprint.put("peakRssMiB", bench.service.rssMiB("VmHWM"));
        footprint.put("heap", "-Xmx256m");
        footprint.put("outOfMemoryErrors", bench.service.logCount("OutOfMemoryError"));
        if (footprint.get("outOfMemoryErrors").asInt() > 0) {
            bench.failures.add("the service ran out of memory");
        }
    }
}
