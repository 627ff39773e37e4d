package org.auditlog.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.auditlog.common.Problem;
import org.junit.jupiter.api.Test;

/** The guard as shipped (private networks not allowed), with a resolver the test controls. */
class OutboundGuardTest {
    private static final String ADMIN_TASK = ":8081/tasks/retention-run?dryRun=false";

    /** A DNS that knows a few names, answering each name's addresses in turn (the last one from then on). */
    static final class FakeDns implements OutboundGuard.HostResolver {
        private final Map<String, Deque<String>> answers;

        FakeDns(Map<String, List<String>> answers) {
            this.answers = new java.util.HashMap<>();
            answers.forEach((name, addresses) -> this.answers.put(name, new ArrayDeque<>(addresses)));
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            Deque<String> queue = answers.get(host);
            if (queue == null) {
                throw new UnknownHostException(host);
            }
            String next = queue.size() > 1 ? queue.poll() : queue.peek();
            String[] addresses = next.split(",");
            InetAddress[] resolved = new InetAddress[addresses.length];
            for (int i = 0; i < addresses.length; i++) {
                resolved[i] = InetAddress.getByName(addresses[i]);
            }
            return resolved;
        }
    }

    private static OutboundGuard strict(List<String> allowedHosts, Map<String, List<String>> dns) {
        return new OutboundGuard(false, allowedHosts, new FakeDns(dns));
    }

    @Test
    void refusesEverySpellingOfAPrivateAddressNamingTheField() {
        OutboundGuard guard = strict(List.of(), Map.of());
        List<String> hosts = List.of("127.0.0.1", "localhost", "LOCALHOST.", "admin.localhost", "0x7f000001",
                "2130706433", "0177.0.0.1", "127.1", "0x7f.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::]",
                "0.0.0.0", "0", "[::1]", "[0:0:0:0:0:0:0:1]", "[::127.0.0.1]", "[64:ff9b::10.0.0.1]", "[64:ff9b::a9fe:a9fe]",
                "[2002:a9fe:a9fe::1]", "[2002:c0a8:0101::]", "169.254.169.254", "[fe80::1]", "[fe80::1%25eth0]",
                "[fc00::1]", "[fd12:3456::1]", "10.1.2.3", "012.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
                "100.64.0.1", "100.127.255.255", "224.0.0.1", "239.255.255.250", "255.255.255.255", "[ff02::1]",
                "[fec0::1]", "[64:ff9b:1::1]");
        for (String host : hosts) {
            assertThat(guard.checkUrl("url", URI.create("http://" + host + ADMIN_TASK)))
                    .as(host).hasValueSatisfying(problem -> {
                        assertThat(problem.field()).isEqualTo("url");
                        assertThat(problem.error()).contains("private address");
                    });
        }
        assertThat(guard.checkHost("host", "0x7f000001")).map(Problem::field).hasValue("host");
    }

    @Test
    void acceptsPublicAddressesInEverySpelling() {
        OutboundGuard guard = strict(List.of(), Map.of("hooks.example.com", List.of("93.184.216.34,2606:2800:220:1::1")));
        for (String host : List.of("8.8.8.8", "134744072", "0x08080808", "172.32.0.1", "100.128.0.1", "169.255.0.1",
                "[2606:4700::1111]", "[::ffff:8.8.8.8]", "[64:ff9b::808:808]", "[2002:808:808::1]", "hooks.example.com")) {
            assertThat(guard.checkUrl("url", URI.create("https://" + host + "/hook"))).as(host).isEmpty();
        }
    }

    @Test
    void aNameResolvingToAPrivateAddressIsRefusedEvenAmongPublicOnes() throws Exception {
        OutboundGuard guard = strict(List.of(), Map.of("intranet.example.com", List.of("10.0.0.5"),
                "mixed.example.com", List.of("93.184.216.34,127.0.0.1"), "metadata.example.com", List.of("169.254.169.254")));
        for (String host : List.of("intranet.example.com", "mixed.example.com", "metadata.example.com")) {
            assertThat(guard.checkUrl("url", URI.create("http://" + host + "/"))).as(host).isPresent();
            assertThatThrownBy(() -> guard.resolve(host)).as(host).isInstanceOf(PrivateDestinationException.class);
        }
    }

    @Test
    void aNameThatDoesNotResolveYetIsAcceptedAndCheckedWhenItIsUsed() throws Exception {
        OutboundGuard guard = strict(List.of(), Map.of("later.example.com", List.of("203.0.113.9", "192.168.0.10")));
        assertThat(guard.checkUrl("url", URI.create("https://not-yet.example.com/hook"))).isEmpty();
        assertThatThrownBy(() -> guard.resolve("not-yet.example.com")).isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(PrivateDestinationException.class);
        // public when created, private when sent to: DNS rebinding
        assertThat(guard.checkUrl("url", URI.create("https://later.example.com/hook"))).isEmpty();
        assertThatThrownBy(() -> guard.resolve("later.example.com")).isInstanceOf(PrivateDestinationException.class)
                .hasMessageContaining("private address");
    }

    @Test
    void allowedHostsNameTrustedHostsAndPrivateBlocks() throws Exception {
        OutboundGuard guard = strict(List.of("Hooks.Internal", "10.20.0.0/16", "fd00:1::/32", "192.168.7.7"),
                Map.of("hooks.internal", List.of("127.0.0.1"), "crm.internal", List.of("10.20.3.4"),
                        "db.internal", List.of("10.21.0.1")));
        assertThat(guard.resolve("HOOKS.internal.")).containsExactly(InetAddress.getByName("127.0.0.1"));
        assertThat(guard.checkHost("host", "crm.internal")).isEmpty();
        assertThat(guard.checkHost("host", "10.20.255.1")).isEmpty();
        assertThat(guard.checkHost("host", "[fd00:1::5]")).isEmpty();
        assertThat(guard.checkHost("host", "192.168.7.7")).isEmpty();
        assertThat(guard.checkHost("host", "192.168.7.8")).isPresent();
        assertThat(guard.checkHost("host", "db.internal")).isPresent();
        assertThat(guard.checkHost("host", "127.0.0.1")).isPresent();
        assertThat(guard.checkHost("host", "localhost")).isPresent();
    }

    @Test
    void allowingPrivateNetworksOrTrustingTheOperatorOpensEverything() throws Exception {
        OutboundGuard open = new OutboundGuard(true, List.of(), new FakeDns(Map.of()));
        assertThat(open.checkHost("url", "127.0.0.1")).isEmpty();
        assertThat(open.resolve("[::1]")).containsExactly(InetAddress.getByName("::1"));
        assertThat(OutboundGuard.trusted().checkHost("url", "10.0.0.1")).isEmpty();
    }

    @Test
    void aBadAllowedHostsEntryFailsTheConfiguration() throws Exception {
        ObjectMapper json = Jackson.newObjectMapper();
        assertThat(json.readValue("{\"allowedHosts\": [\"hooks.internal\", \"10.0.0.0/8\", \"::1\"]}",
                OutboundConfiguration.class).isAllowedHostsValid()).isTrue();
        for (String bad : List.of("10.0.0.0/33", "10.0.0/8", "hooks.internal/8", " ")) {
            assertThat(json.readValue("{\"allowedHosts\": [\"" + bad + "\"]}", OutboundConfiguration.class)
                    .isAllowedHostsValid()).as(bad).isFalse();
        }
        assertThat(json.readValue("{}", OutboundConfiguration.class).isAllowPrivateNetworks()).isFalse();
    }
}
