package org.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.auditlog.access.Caller;
import org.auditlog.access.Requester;
import org.auditlog.access.Role;
import org.auditlog.database.Database;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * On a connection configured as config.yml's (plans made with each statement's values), a page whose
 * filter one index serves in time order runs a plan made once for any values, once the driver has
 * prepared its statement; a page of any other filter, and the index read a metadata match falls back
 * to, are planned with their values every time. What ran is read from PostgreSQL's own counts of the
 * connection's prepared statements.
 */
class PlanOnceTest {
    private static final TestApp APP = TestApp.get();
    private static final int RUNS = 12;

    @Test
    void pagesOneIndexServesRunAPlanMadeOnceAndOthersArePlannedWithTheirValues() throws Exception {
        String tenant = TestApp.newTenant("plans");
        String key = APP.createKey(tenant, "ingest", "auditor");
        var events = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 250; i++) {
            Map<String, Object> event = new HashMap<>();
            event.put("action", i % 2 == 0 ? "user.login" : "document.view");
            event.put("actor", Map.of("id", "actor-" + (i % 5)));
            event.put("metadata", Map.of("team", "red"));
            events.add(event);
        }
        assertThat(APP.post("/api/v1/events/batch", key, Map.of("events", events)).status()).isEqualTo(201);

        Properties login = new Properties();
        login.setProperty("user", "postgres");
        login.setProperty("password", "");
        login.setProperty("options", "-c plan_cache_mode=force_custom_plan");
        try (Connection connection = DriverManager.getConnection(TestDatabase.get().url(), login)) {
            Jdbi jdbi = Database.configure(Jdbi.create(connection));
            var service = new QueryService(jdbi, new CursorCodec(new byte[32]), new AuditTrail((t, drafts) -> List.of()), false);
            Requester requester = new Caller(UUID.randomUUID(), tenant, "k", Set.of(Role.AUDITOR)).requester();
            for (int i = 0; i < RUNS; i++) {
                assertThat(page(service, requester, Map.of("limit", "10"))).hasSize(10);
                String actor = "actor-" + i % 5;
                Page byActor = service.search(requester, SearchRequest.parse(Map.of("actorId", List.of(actor),
                        "limit", List.of("10"))));
                assertThat(byActor.events()).hasSize(10).allSatisfy(e -> assertThat(e.actor().id()).isEqualTo(actor));
                assertThat(service.search(requester, SearchRequest.parse(Map.of("actorId", List.of(actor), "limit", List.of("10"),
                        "cursor", List.of(byActor.nextCursor())))).events()).isNotEmpty();
                assertThat(page(service, requester, Map.of("action", "user.*", "limit", "10"))).hasSize(10);
                // no event holds this value and the first window is full: the metadata index answers
                assertThat(page(service, requester, Map.of("meta.team", "blue", "limit", "1"))).isEmpty();
            }
            Map<String, long[]> plans = new HashMap<>();
            jdbi.useHandle(handle -> handle.createQuery("select statement, generic_plans, custom_plans from pg_prepared_statements")
                    .map((rs, ctx) -> plans.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)})).list());

            assertThat(plans(plans, "hash from audit_events where tenant = $1 and seq <= $2 order by"))
                    .as("the newest page: the time index, whatever the values").satisfies(p -> assertThat(p[0]).isPositive());
            assertThat(plans(plans, "where tenant = $1 and actor_id = $2 and seq <= $3 order by"))
                    .as("an actor's page: the actor index").satisfies(p -> assertThat(p[0]).isPositive());
            assertThat(plans(plans, "actor_id = $2 and seq <= $3 and (occurred_at, seq) <"))
                    .as("an actor's next page").satisfies(p -> assertThat(p[0]).isPositive());
            assertThat(plans(plans, ") newest where metadata @>"))
                    .as("a metadata match's first window: the time index").satisfies(p -> assertThat(p[0]).isPositive());
            assertThat(plans(plans, "action >= $2"))
                    .as("an action prefix: the action index or the time index, by how common it is")
                    .satisfies(p -> assertThat(p[0]).isZero());
            assertThat(plans(plans, "from audit_events where tenant = $1 and seq <= $2 and metadata @>"))
                    .as("a metadata match through the index: the metadata index or the time index, by how rare the value is")
                    .satisfies(p -> assertThat(p[0]).isZero());
        }
    }

    private static List<?> page(QueryService service, Requester requester, Map<String, String> parameters) {
        Map<String, List<String>> query = new HashMap<>();
        parameters.forEach((name, value) -> query.put(name, List.of(value)));
        return service.search(requester, SearchRequest.parse(query)).events();
    }

    /** The generic and custom plans of the one prepared statement whose text holds {@code holding}. */
    private static long[] plans(Map<String, long[]> plans, String holding) {
        var matching = plans.entrySet().stream().filter(e -> e.getKey().contains(holding)).toList();
        assertThat(matching).as("prepared statements holding " + holding + " among " + plans.keySet()).hasSize(1);
        long[] counts = matching.get(0).getValue();
        assertThat(counts[0] + counts[1]).as("plans of " + matching.get(0).getKey()).isPositive();
        return counts;
    }
}
