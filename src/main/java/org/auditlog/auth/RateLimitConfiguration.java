package org.auditlog.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Per API key, per instance: a token bucket of {@code burst} requests refilled at {@code requestsPerSecond}. */
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
