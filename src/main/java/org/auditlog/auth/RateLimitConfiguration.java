package org.auditlog.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * Per API key, a token bucket of {@code burst} requests refilled at {@code requestsPerSecond}; per
 * tenant, all its keys together, one of {@code tenantBurst} refilled at {@code tenantRequestsPerSecond}.
 * Both are shared by every instance (kept in PostgreSQL).
 */
public class RateLimitConfiguration {
    @JsonProperty
    private boolean enabled = true;

    @Min(1)
    @Max(1_000_000)
    @JsonProperty
    private int requestsPerSecond = 200;

    @Min(1)
    @Max(1_000_000)
    @JsonProperty
    private int burst = 400;

    @Min(1)
    @Max(1_000_000)
    @JsonProperty
    private int tenantRequestsPerSecond = 1000;

    @Min(1)
    @Max(1_000_000)
    @JsonProperty
    private int tenantBurst = 2000;

    public int getTenantRequestsPerSecond() {
        return tenantRequestsPerSecond;
    }

    public int getTenantBurst() {
        return tenantBurst;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public int getRequestsPerSecond() {
        return requestsPerSecond;
    }

    public int getBurst() {
        return burst;
    }
}
