package org.auditlog.admin;

import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;

/** The admin port's guard and its Prometheus endpoint. */
public final class AdminPortFeature {
    private AdminPortFeature() {
    }

    public static void register(Environment environment, AdminConfiguration configuration, TenantTraffic traffic) {
        if (!configuration.getToken().isEmpty()) {
            environment.admin().addFilter("admin-token", new AdminTokenFilter(configuration.getToken()))
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        }
        PrometheusFeature.register(environment, traffic);
    }
}
