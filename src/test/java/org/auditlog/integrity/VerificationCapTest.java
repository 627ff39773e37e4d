package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Verifications of a tenant's whole chain running at once on an instance are capped by
 * {@code limits.concurrentVerifications} (1 by default): one more answers 429 with
 * {@code Retry-After}, while ranged verifications and other tenants go on.
 */
class VerificationCapTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void aSecondWholeChainVerificationOfTheTenantAnswers429WhileTheFirstRuns() throws Exception {
        String tenant = TestApp.newTenant("verify-cap");
        String other = TestApp.newTenant("verify-free");
        String key = APP.createKey(tenant, "auditor");
        String otherKey = APP.createKey(other, "auditor");
        APP.append(tenant, List.of(TestApp.draft("doc.view", "general", 0), TestApp.draft("doc.view", "general", 0)));
        APP.append(other, List.of(TestApp.draft("doc.view", "general", 0)));

        // A verification is recorded in the tenant's log once the walk is done; holding the lock on
        // the tenant's chain head keeps the first one running at that point, deterministically.
        CompletableFuture<TestApp.Reply> first;
        CompletableFuture<TestApp.Reply> ranged;
        try (Connection lock = TestDatabase.get().connect()) {
            lock.setAutoCommit(false);
            try (var statement = lock.prepareStatement("select 1 from chain_heads where tenant = ? for update")) {
                statement.setString(1, tenant);
                statement.executeQuery().close();
            }
            first = CompletableFuture.supplyAsync(() -> APP.get("/api/v1/integrity/verify", key));
            TestApp.eventually("the first verification waits to be recorded", () -> !TestApp.rows(
                    "select pid from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()").isEmpty());

            var second = APP.get("/api/v1/integrity/verify", key);
            assertThat(second.status()).as(second.toString()).isEqualTo(429);
            assertThat(second.json().get("code").asInt()).isEqualTo(429);
            assertThat(second.header("Retry-After")).isEqualTo("10");
            assertThat(first).isNotDone();

            ranged = CompletableFuture.supplyAsync(() -> APP.get("/api/v1/integrity/verify?fromSeq=1&toSeq=2", key));
            var otherTenant = APP.get("/api/v1/integrity/verify", otherKey);
            assertThat(otherTenant.status()).as(otherTenant.toString()).isEqualTo(200);
            assertThat(otherTenant.json().get("ok").asBoolean()).isTrue();
            lock.rollback();
        }
        var firstReply = first.get(30, TimeUnit.SECONDS);
        assertThat(firstReply.status()).as(firstReply.toString()).isEqualTo(200);
        assertThat(firstReply.json().get("ok").asBoolean()).isTrue();
        var rangedReply = ranged.get(30, TimeUnit.SECONDS);
        assertThat(rangedReply.status()).as("a ranged verification is not capped: " + rangedReply).isEqualTo(200);

        var again = APP.get("/api/v1/integrity/verify", key);
        assertThat(again.status()).as("the slot is given back: " + again).isEqualTo(200);
    }
}
