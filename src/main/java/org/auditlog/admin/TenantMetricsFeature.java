package org.auditlog.admin;

import io.dropwizard.core.setup.Environment;
import java.util.concurrent.TimeUnit;

/** Per-tenant request metrics: the filter on the API and the minute by minute choice of the named tenants. */
public final class TenantMetricsFeature {
    private TenantMetricsFeature() {
    }

    public static TenantTraffic register(Environment environment, int tenantLabels) {
        TenantTraffic traffic = new TenantTraffic(environment.metrics(), tenantLabels);
        environment.jersey().register(new TenantMetricsFilter(traffic));
        // Dropwizard's managed executor: shut down with the service
        environment.lifecycle().scheduledExecutorService("tenant-metrics", true).build()
                .scheduleWithFixedDelay(traffic::rerank, 1, 1, TimeUnit.MINUTES);
        return traffic;
    }
}
