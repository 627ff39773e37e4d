package org.auditlog.retention;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.auditlog.support.BulkEvents;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** A legal hold created while a run is deleting protects what it matches for the rest of that run. */
class HoldDuringRunTest {
    private static final TestApp APP = TestApp.get();
    private static final int EVENTS = 200_000;

    @Test
    void aHoldCreatedWhileARunDeletesKeepsEveryEventItMatchedWhenCreated() throws Exception {
        String tenant = TestApp.newTenant("ret-hold-race");
        BulkEvents.load(tenant, EVENTS);
        String key = APP.createKey(tenant, "admin");
        var policy = APP.send(APP.request("/api/v1/retention/policies/bulk", key).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"retainDays\": 30}")));
        assertThat(policy.status()).as(policy.toString()).isEqualTo(200);

        CompletableFuture<TestApp.Reply> run = CompletableFuture.supplyAsync(() -> APP.send(
                APP.request("/api/v1/retention/runs?dryRun=false", key).POST(HttpRequest.BodyPublishers.noBody())));
        TestApp.eventually("the run has deleted a first batch", () -> bulkEvents(tenant) < EVENTS);

        var hold = APP.post("/api/v1/retention/holds", key, Map.of("name", "case-7", "reason", "litigation",
                "filters", Map.of("actorId", "a7")));
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        long heldWhenCreated = heldEvents(tenant);
        long leftWhenCreated = bulkEvents(tenant);

        JsonNode result = run.get(60, TimeUnit.SECONDS).json();
        assertThat(heldWhenCreated).as("events of the hold still there when it was created").isPositive();
        assertThat(leftWhenCreated).as("the run was still deleting when the hold was created")
                .isGreaterThan(heldWhenCreated);
        assertThat(heldEvents(tenant)).as("events of the hold after the run").isEqualTo(heldWhenCreated);
        assertThat(bulkEvents(tenant)).as("only the hold's events are left").isEqualTo(heldWhenCreated);
        assertThat(result.get("held").asLong()).isEqualTo(heldWhenCreated);
        assertThat(result.get("deleted").asLong()).isEqualTo(EVENTS - heldWhenCreated);
    }

    private static long heldEvents(String tenant) {
        return (Long) TestApp.rows("select count(*) as n from audit_events where tenant = ? and category = 'bulk' "
                + "and actor_id = 'a7'", tenant).get(0).get("n");
    }

    private static long bulkEvents(String tenant) {
        return (Long) TestApp.rows("select count(*) as n from audit_events where tenant = ? and category = 'bulk'", tenant)
                .get(0).get("n");
    }
}
