package org.auditlog.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.auditlog.support.Folders;
import org.auditlog.support.IngestLoad;
import org.auditlog.support.Results;
import org.auditlog.support.ServiceProcess;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * 16 clients ingest for 60 s while the service is killed with SIGKILL and started again, twice.
 * Clients resend what got no answer with the same idempotency key. Every acknowledged event must be
 * stored exactly once, and the chain must verify.
 */
class CrashUnderLoadIT {

    @Test
    void everyAcknowledgedEventSurvivesTwoKillsExactlyOnce() throws Exception {
        String url = TestDatabase.get().scratch("crash");
        Path data = Files.createTempDirectory("crash");
        String key = ServiceProcess.command(url, data, "create-key", "config.yml", "--tenant", "acme", "--role", "admin");
        ServiceProcess[] service = {ServiceProcess.start("crash-1", url, data, "scheduling.enabled=false")};
        try {
            IngestLoad load = IngestLoad.start(16, "crash.load", key, () -> service[0].baseUrl(), 0);
            long start = System.currentTimeMillis();
            try {
                for (int kill = 1; kill <= 2; kill++) {
                    Thread.sleep(15_000);
                    service[0].process().destroyForcibly().waitFor();
                    service[0] = ServiceProcess.start("crash-" + (kill + 1), url, data, "scheduling.enabled=false");
                }
                Thread.sleep(Math.max(0, 60_000 - (System.currentTimeMillis() - start)));
            } finally {
                load.stop();
            }
            JsonNode chain = load.verifyChain(service[0].baseUrl());
            boolean chainOk = chain.get("ok").asBoolean();
            IngestLoad.Counts counts = load.counts();
            IngestLoad.Stored stored = load.stored(url);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("clients", 16);
            result.put("seconds", 60);
            result.put("kills", 2);
            result.putAll(load.figures(stored));
            result.put("chainVerifies", chainOk);
            Results.write("crash-under-load", result);
            assertThat(counts.acknowledged()).as("acknowledged events").isGreaterThan(100);
            assertThat(stored.acknowledgedStored()).as("acknowledged events stored").isEqualTo(counts.acknowledged());
            assertThat(stored.duplicates()).as("events stored twice").isZero();
            assertThat(chainOk).as("chain verifies: " + chain).isTrue();
        } finally {
            service[0].stop();
            TestDatabase.get().dropScratch("crash");
            Folders.delete(data);
        }
    }

}
