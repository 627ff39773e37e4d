package org.auditlog.outbound;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.validation.ValidationMethod;
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

    /**
     * Exceptions: a host name (matched exactly, case aside, against the destination's host, and then
     * trusted whatever it resolves to), or an IP address or CIDR block ({@code 10.20.0.0/16},
     * {@code fd12:3456::/48}) whose private addresses may be sent to.
     */
    @NotNull
    @JsonProperty
    private List<String> allowedHosts = List.of();

    public boolean isAllowPrivateNetworks() {
        return allowPrivateNetworks;
    }

    public List<String> getAllowedHosts() {
        return allowedHosts;
    }

    @JsonIgnore
    @ValidationMethod(message = "outbound.allowedHosts must list host names, IP addresses or CIDR blocks such as 10.20.0.0/16")
    public boolean isAllowedHostsValid() {
        try {
            allowedHosts.forEach(OutboundGuard::isAddressBlock);
            return allowedHosts.stream().noneMatch(entry -> entry == null || entry.isBlank());
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }
}
