package org.auditlog.admin;

import io.dropwizard.core.setup.Environment;
import com.codahale.metrics.Snapshot;
import java.util.concurrent.TimeUnit;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code /metrics/prometheus} on the admin port: every Dropwizard metric of the service in the
 * Prometheus text format. Metric names are fixed in code (never built from keys or paths), but for
 * the per-tenant request series, whose tenants are the busiest {@code metrics.tenantLabels} and whose
 * endpoints are route templates, so the number of series stays bounded.
 */
public final class PrometheusFeature {
    private PrometheusFeature() {
    }

    public static void register(Environment environment, TenantTraffic traffic) {
        PrometheusRegistry registry = new PrometheusRegistry();
        // Jersey's "<method>.total" timers would collide with "<method>" once Prometheus strips "_total"
        // the per-tenant series are one family with three labels, which DropwizardExports cannot make
        DropwizardExports.builder().dropwizardRegistry(environment.metrics())
                .metricFilter((name, metric) -> !name.endsWith(".total") && !name.startsWith(TenantTraffic.PREFIX + "."))
                .register(registry);
        registry.register(() -> tenantRequests(traffic));
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry))
                .addMapping("/metrics/prometheus");
    }

    /**
     * {@code tenant_requests_seconds{tenant, endpoint, status}}: a summary per series of
     * {@link TenantTraffic}, its count the requests and its quantiles the latency in seconds.
     */
    static SummarySnapshot tenantRequests(TenantTraffic traffic) {
        double seconds = 1.0 / TimeUnit.SECONDS.toNanos(1);
        var points = traffic.series().entrySet().stream().map(entry -> {
            Snapshot snapshot = entry.getValue().getSnapshot();
            return SummarySnapshot.SummaryDataPointSnapshot.builder()
                    .labels(Labels.of("tenant", entry.getKey().tenant(), "endpoint", entry.getKey().endpoint(),
                            "status", Integer.toString(entry.getKey().status())))
                    .count(entry.getValue().getCount())
                    .quantiles(Quantiles.builder()
                            .quantile(0.5, snapshot.getMedian() * seconds)
                            .quantile(0.95, snapshot.get95thPercentile() * seconds)
                            .quantile(0.99, snapshot.get99thPercentile() * seconds)
                            .build())
                    .build();
        }).toList();
        return new SummarySnapshot(new MetricMetadata("tenant_requests_seconds",
                "API requests by tenant (the busiest by name, _other, _none without a key), route and status",
                Unit.SECONDS), points);
    }
}
