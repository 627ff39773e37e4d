package org.auditlog.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InterruptedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.auditlog.support.WebhookReceiver;
import org.junit.jupiter.api.Test;

/** The outbound client against real receivers on loopback, with the guard as shipped (private networks refused). */
class OutboundHttpClientTest {
    private static final byte[] BODY = "{\"alert\": 1}".getBytes(StandardCharsets.UTF_8);

    private static OutboundHttpClient client(List<String> allowedHosts, Map<String, List<String>> dns, Duration timeout) {
        return new OutboundHttpClient(new OutboundGuard(false, allowedHosts, new OutboundGuardTest.FakeDns(dns)), timeout, 4);
    }

    private static String port(WebhookReceiver receiver) {
        return URI.create(receiver.url()).getPort() + "";
    }

    @Test
    void connectsToTheAddressTheGuardCheckedNotToAFreshLookup() throws Exception {
        // no DNS knows receiver.test: only the guard's answer can have led the connection to the receiver
        try (WebhookReceiver receiver = new WebhookReceiver();
             var client = client(List.of("127.0.0.1"), Map.of("receiver.test", List.of("127.0.0.1")), Duration.ofSeconds(2))) {
            int status = client.postJson(URI.create("http://receiver.test:" + port(receiver) + "/hook"), Map.of("X-Test", "1"), BODY);
            assertThat(status).isEqualTo(200);
            assertThat(receiver.received()).extracting(WebhookReceiver.Received::body).containsExactly("{\"alert\": 1}");
        }
    }

    @Test
    void aPrivateAddressIsRefusedAtSendInAnySpelling() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             var client = client(List.of(), Map.of(), Duration.ofSeconds(2))) {
            for (String host : List.of("127.0.0.1", "localhost", "0x7f000001", "2130706433", "[::ffff:127.0.0.1]", "127.1")) {
                assertThatThrownBy(() -> client.postJson(URI.create("http://" + host + ":" + port(receiver) + "/hook"),
                        Map.of(), BODY)).as(host).isInstanceOf(PrivateDestinationException.class);
            }
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void aNameThatWasPublicWhenGivenAndIsPrivateWhenSentToIsRefused() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             var client = new OutboundHttpClient(new OutboundGuard(false, List.of(), new OutboundGuardTest.FakeDns(
                     Map.of("rebind.example.com", List.of("203.0.113.7", "127.0.0.1")))), Duration.ofMillis(500), 4)) {
            OutboundGuard creation = new OutboundGuard(false, List.of(), new OutboundGuardTest.FakeDns(
                    Map.of("rebind.example.com", List.of("203.0.113.7"))));
            URI url = URI.create("http://rebind.example.com:" + port(receiver) + "/hook");
            assertThat(creation.checkUrl("url", url)).isEmpty();
            // the client's first lookup answers the public address (unreachable here), the second loopback
            assertThatThrownBy(() -> client.postJson(url, Map.of(), BODY)).isNotInstanceOf(PrivateDestinationException.class);
            assertThatThrownBy(() -> client.postJson(url, Map.of(), BODY)).isInstanceOf(PrivateDestinationException.class);
            assertThat(receiver.received()).isEmpty();
        }
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        try (WebhookReceiver target = new WebhookReceiver(); WebhookReceiver redirecting = new WebhookReceiver();
             var client = client(List.of("127.0.0.1"), Map.of(), Duration.ofSeconds(2))) {
            redirecting.redirectTo(target.url());
            assertThat(client.postJson(URI.create(redirecting.url()), Map.of(), BODY)).isEqualTo(302);
            assertThat(redirecting.received()).hasSize(1);
            assertThat(target.received()).isEmpty();
        }
    }

    @Test
    void anAnswerSlowerThanTheTimeoutIsCutOff() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             var client = client(List.of("127.0.0.1"), Map.of(), Duration.ofMillis(300))) {
            receiver.delay(3000);
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.postJson(URI.create(receiver.url()), Map.of(), BODY))
                    .isInstanceOf(InterruptedIOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
        }
    }
}
