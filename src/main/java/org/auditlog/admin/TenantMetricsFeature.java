package org.auditlog.admin;

import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Per-tenant request metrics: the filter on the API and the minute by minute choice of the named tenants. */
public final class TenantMetricsFeature {
    private TenantMetricsFeature() {
    }

    public static TenantTraffic register(Environment environment, int tenantLabels) {
        TenantTraffic traffic = new TenantTraffic(environment.metrics(), tenantLabels);
        environment.jersey().register(new TenantMetricsFilter(traffic));
        environment.lifecycle().manage(new Managed() {
            private ScheduledExecutorService executor;

            @Override
            public void start() {
                executor = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread thread = new Thread(r, "tenant-metrics");
                    thread.setDaemon(true);
                    return thread;
                });
                executor.scheduleWithFixedDelay(traffic::rerank, 1, 1, TimeUnit.MINUTES);
            }

            @Override
            public void stop() {
                executor.shutdownNow();
            }
        });
        return traffic;
    }
}
