package org.auditlog.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import org.junit.jupiter.api.Test;

/** The busiest tenants get series of their own, up to the configured number; the rest share one. */
class TenantTrafficTest {
    private static long count(MetricRegistry metrics, String tenant, String endpoint, int status) {
        var timer = metrics.getTimers().get(TenantTraffic.PREFIX + "." + tenant + "." + endpoint + "." + status);
        return timer == null ? 0 : timer.getCount();
    }

    @Test
    void tenantsAreNamedWhilePlacesAreFreeThenByTrafficAndTheRestShareOneSeries() {
        MetricRegistry metrics = new MetricRegistry();
        TenantTraffic traffic = new TenantTraffic(metrics, 2);
        traffic.record("acme", "GET", "/api/v1/events/{id}", 200, 1_000);
        traffic.record("globex", "GET", "/api/v1/events/{id}", 200, 1_000);
        traffic.record("initech", "GET", "/api/v1/events/{id}", 200, 1_000);
        traffic.record(null, "GET", "/api/v1/events", 401, 1_000);
        assertThat(count(metrics, "acme", "GET /api/v1/events/{id}", 200)).isEqualTo(1);
        assertThat(count(metrics, "globex", "GET /api/v1/events/{id}", 200)).isEqualTo(1);
        assertThat(count(metrics, TenantTraffic.OTHER, "GET /api/v1/events/{id}", 200)).isEqualTo(1);
        assertThat(count(metrics, TenantTraffic.NONE, "GET /api/v1/events", 401)).isEqualTo(1);

        // initech is the busiest of the next minute, globex the next: acme loses its name and its series
        traffic.rerank();
        for (int i = 0; i < 5; i++) {
            traffic.record("initech", "POST", "/api/v1/events", 201, 1_000);
        }
        for (int i = 0; i < 3; i++) {
            traffic.record("globex", "POST", "/api/v1/events", 201, 1_000);
        }
        traffic.record("acme", "POST", "/api/v1/events", 201, 1_000);
        traffic.rerank();
        assertThat(traffic.named()).containsExactlyInAnyOrder("initech", "globex");
        assertThat(metrics.getTimers().keySet()).noneMatch(name -> name.startsWith(TenantTraffic.PREFIX + ".acme."));
        traffic.record("initech", "POST", "/api/v1/events", 201, 1_000);
        traffic.record("acme", "POST", "/api/v1/events", 201, 1_000);
        assertThat(count(metrics, "initech", "POST /api/v1/events", 201)).isEqualTo(1);
        // initech's five while it had no name, and acme's one since it lost its own
        assertThat(count(metrics, TenantTraffic.OTHER, "POST /api/v1/events", 201)).isEqualTo(6);
        assertThat(metrics.getTimers().keySet().stream().map(name -> name.split("\\.")[2]).distinct())
                .as("at most two names, and the shared series").hasSizeLessThanOrEqualTo(4);
    }
}
