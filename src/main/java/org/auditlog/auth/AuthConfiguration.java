package org.auditlog.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Throttling of failed authentications per client address: past {@code failedPerMinute} wrong or
 * missing keys from one address in a minute, 429. The address is the peer's, or the last one
 * {@code X-Forwarded-For} adds when the peer is one of {@code trustedProxies}.
 */
public class AuthConfiguration {
    @Min(1)
    @Max(1_000_000)
    @JsonProperty
    private int failedPerMinute = 60;

    @NotNull
    @JsonProperty
    private List<String> trustedProxies = List.of();

    public int getFailedPerMinute() {
        return failedPerMinute;
    }

    public List<String> getTrustedProxies() {
        return trustedProxies;
    }
}
