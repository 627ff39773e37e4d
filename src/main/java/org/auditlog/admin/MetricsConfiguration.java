package org.auditlog.admin;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.metrics.common.MetricsFactory;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Dropwizard's {@code metrics} settings (reporters, frequency) and the service's own:
 * {@code tenantLabels}, how many of the busiest tenants get request series of their own (the rest
 * share {@link TenantTraffic#OTHER}).
 */
public class MetricsConfiguration extends MetricsFactory {
    @Min(0)
    @Max(1000)
    private int tenantLabels = 20;

    @JsonProperty
    public int getTenantLabels() {
        return tenantLabels;
    }

    @JsonProperty
    public void setTenantLabels(int tenantLabels) {
        this.tenantLabels = tenantLabels;
    }
}
