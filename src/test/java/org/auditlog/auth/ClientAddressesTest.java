package org.auditlog.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    private final ClientAddresses behindProxies = new ClientAddresses(List.of("10.0.0.0/8", "192.0.2.1"));

    @Test
    void forwardedForIsIgnoredFromAPeerThatIsNotATrustedProxy() {
        assertThat(new ClientAddresses(List.of()).clientOf("203.0.113.5", "198.51.100.1")).isEqualTo("203.0.113.5");
        assertThat(behindProxies.clientOf("203.0.113.5", "198.51.100.1")).isEqualTo("203.0.113.5");
    }

    @Test
    void theClientIsTheRightmostAddressThatIsNotATrustedProxy() {
        assertThat(behindProxies.clientOf("10.1.2.3", "198.51.100.1")).isEqualTo("198.51.100.1");
        assertThat(behindProxies.clientOf("10.1.2.3", "6.6.6.6, 198.51.100.1, 192.0.2.1")).isEqualTo("198.51.100.1");
        assertThat(behindProxies.clientOf("10.1.2.3", "[2001:db8::1]")).isEqualTo("2001:db8::1");
    }

    @Test
    void aForwardedEntryThatIsNotALiteralAddressStopsTheWalk() {
        assertThat(behindProxies.clientOf("10.1.2.3", "198.51.100.1, attacker.example")).isEqualTo("10.1.2.3");
        assertThat(behindProxies.clientOf("10.1.2.3", "unknown, 10.9.9.9")).isEqualTo("10.9.9.9");
        assertThat(behindProxies.clientOf("10.1.2.3", "")).isEqualTo("10.1.2.3");
    }

    @Test
    void aBadTrustedProxyStopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> new ClientAddresses(List.of("not an address")))
                .hasMessageContaining("auth.trustedProxies");
    }
}
