package org.auditlog.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code bench/run --quick} as a user would: every step of the benchmark must run against the
 * packaged service and its raw-PostgreSQL twin, and count right. Ratios at these small sizes are
 * not held to the targets; the full run (docs/benchmarks.md) is. The time limit catches a run that
 * never ends (a thread left running); a run took up to four minutes on a busy CI machine.
 */
class BenchQuickIT {
    @Test
    void theQuickBenchmarkRunsEveryStepAndCountsRight() throws Exception {
        Path out = Path.of("target/bench");
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve("bench.json"));
        Process bench = new ProcessBuilder("bench/run", "--quick", "--out", out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolve("bench.log").toFile()).start();
        boolean finished = bench.waitFor(6, TimeUnit.MINUTES);
        if (!finished) {
            bench.destroyForcibly();
        }
        String log = Files.readString(out.resolve("bench.log"));
        assertThat(finished).as("finished within 6 minutes: %s", log).isTrue();
        assertThat(bench.exitValue()).as(log).isZero();

        JsonNode result = TestApp.JSON.readTree(out.resolve("bench.json").toFile());
        assertThat(result.get("failures")).isEmpty();
        assertThat(result.get("batchIngest").get("serviceStored").asLong()).isEqualTo(result.get("batchIngest").get("events").asLong());
        assertThat(result.get("singleIngest").get("service").get("events").asLong()).isPositive();
        assertThat(result.get("singleIngest").get("service").get("errors").asLong()).isZero();
        assertThat(result.get("queries").get("steps")).hasSize(5);
        assertThat(result.get("export").get("rows").asLong()).isEqualTo(50_000);
        // the expired partition dropped whole; the one with held events emptied but for them, by batches
        assertThat(result.get("retention").get("serviceDeleted").asLong()).isEqualTo(50_000);
        assertThat(result.get("retention").get("heldPartitionDeleted").asLong())
                .isEqualTo(2_500 - result.get("retention").get("held").asLong());
        assertThat(result.get("retention").get("partitionsAfter").asLong())
                .isLessThan(result.get("retention").get("partitionsBefore").asLong());
        assertThat(result.get("footprint").get("outOfMemoryErrors").asInt()).isZero();
        assertThat(result.get("report").get("status").asText()).isEqualTo("done");
        assertThat(result.get("report").get("sections").get("integrity").asLong()).isEqualTo(100_000); // the chain verified
        for (String format : new String[] {"native", "ocsf"}) {
            assertThat(result.get("streams").get(format).get("events").asLong()).as(format)
                    .isGreaterThanOrEqualTo(result.get("streams").get("events").asLong());
            assertThat(result.get("streams").get(format).get("eventsPerSecond").asLong()).as(format).isPositive();
        }
        assertThat(Files.readString(out.resolve("benchmarks.md"))).contains("| 1. batch ingest |", "| 6. footprint |",
                "| 7. compliance report |", "| 8. stream delivery |");
    }
}
