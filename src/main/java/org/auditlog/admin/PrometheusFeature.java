package org.auditlog.admin;

import io.dropwizard.core.setup.Environment;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code /metrics/prometheus} on the admin port: every Dropwizard metric of the service in the
 * Prometheus text format. Metric names are fixed in code (never built from tenants, keys or paths),
 * so the number of series stays bounded.
 */
public final class PrometheusFeature {
    private PrometheusFeature() {
    }

    public static void register(Environment environment) {
        PrometheusRegistry registry = new PrometheusRegistry();
        // Jersey's "<method>.total" timers would collide with "<method>" once Prometheus strips "_total"
        DropwizardExports.builder().dropwizardRegistry(environment.metrics())
                .metricFilter((name, metric) -> !name.endsWith(".total"))
                .register(registry);
        environment.admin().addServlet("prometheus", new PrometheusMetricsServlet(registry))
                .addMapping("/metrics/prometheus");
    }
}
