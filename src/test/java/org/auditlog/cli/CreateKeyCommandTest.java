package org.auditlog.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

class CreateKeyCommandTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void printsAWorkingKeyAsItsLastLine() throws Exception {
        String tenant = TestApp.newTenant("cli");
        String output = run("create-key", "config.yml", "--tenant", tenant, "--role", "ingest", "--role", "auditor",
                "--name", "from-cli");
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        String key = lines.get(lines.size() - 1).trim();
        assertThat(key).startsWith("ak_");
        var stored = APP.post("/api/v1/events", key, java.util.Map.of("action", "cli.works", "actor", java.util.Map.of("id", "a")));
        assertThat(stored.status()).isEqualTo(201);
        assertThat(stored.json().get("tenant").asText()).isEqualTo(tenant);
        assertThat(APP.get("/api/v1/events/" + stored.json().get("id").asText(), key).status()).isEqualTo(200);
    }

    private static String run(String... args) throws Exception {
        return VerifyCommandTest.run(args);
    }
}
