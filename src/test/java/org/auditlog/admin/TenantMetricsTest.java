package org.auditlog.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** Requests are counted and timed by tenant, route and status, on both metrics endpoints of the admin port. */
class TenantMetricsTest {
    private static final TestApp APP = TestApp.get();

    @Test
    void aTenantsRequestsAreCountedByRouteAndStatusWithoutIdsOrKeys() {
        String tenant = TestApp.newTenant("metrics");
        String key = APP.createKey(tenant, "ingest", "auditor");
        for (int i = 0; i < 3; i++) {
            assertThat(APP.post("/api/v1/events", key, Map.of("action", "user.login", "actor", Map.of("id", "a"))).status())
                    .isEqualTo(201);
        }
        String id = APP.get("/api/v1/events?limit=1", key).json().get("events").get(0).get("id").asText();
        assertThat(APP.get("/api/v1/events/" + id, key).status()).isEqualTo(200);
        assertThat(APP.get("/api/v1/events/00000000-0000-7000-8000-000000000000", key).status()).isEqualTo(404);

        var json = APP.get(APP.adminUrl() + "/metrics", null).json().get("timers");
        assertThat(json.get("tenant.requests." + tenant + ".POST /api/v1/events.201").get("count").asLong()).isEqualTo(3);
        assertThat(json.get("tenant.requests." + tenant + ".GET /api/v1/events/{id}.200").get("count").asLong()).isEqualTo(1);
        assertThat(json.get("tenant.requests." + tenant + ".GET /api/v1/events/{id}.404").get("count").asLong()).isEqualTo(1);

        String prometheus = APP.get(APP.adminUrl() + "/metrics/prometheus", null).body();
        assertThat(prometheus).contains("tenant_requests_seconds_count{endpoint=\"POST /api/v1/events\",status=\"201\",tenant=\""
                + tenant + "\"} 3")
                .contains("tenant_requests_seconds{endpoint=\"POST /api/v1/events\",status=\"201\",tenant=\""
                + tenant + "\",quantile=\"0.95\"}");
        assertThat(prometheus).contains("endpoint=\"GET /api/v1/events/{id}\",status=\"404\",tenant=\"" + tenant + "\"")
                .doesNotContain(id).doesNotContain(key);
    }
}
