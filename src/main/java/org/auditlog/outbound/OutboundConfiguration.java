package org.auditlog.outbound;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * Where the service may send to when a tenant names the destination (webhook channels, and later
 * report e-mails and streams): by default only public addresses; {@code allowedHosts} lists
 * exceptions, {@code allowPrivateNetworks} opens private networks for an on-premises deployment.
 */
public class OutboundConfiguration {
    @JsonProperty
    private boolean allowPrivateNetworks = false;

    @NotNull
    @JsonProperty
    private List<String> allowedHosts = List.of();

    public boolean isAllowPrivateNetworks() {
        return allowPrivateNetworks;
    }

    public List<String> getAllowedHosts() {
        return allowedHosts;
    }
}
