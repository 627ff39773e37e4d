package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.outbound.OutboundGuard;
import org.auditlog.outbound.PrivateDestinationException;
import org.junit.jupiter.api.Test;

/**
 * The service as shipped ({@code outbound.allowPrivateNetworks: false}) never lets a syslog stream reach
 * a private address: not when it is defined, nor when it is sent to (say DNS changed its answer since).
 */
class SyslogGuardTest {
    private static final OutboundGuard SHIPPED = new OutboundGuard(false, List.of(), InetAddress::getAllByName);

    private static ObjectNode body(String host) {
        return Jackson.newObjectMapper().valueToTree(Map.of("name", "s", "type", "syslog", "format", "native",
                "host", host, "port", 514, "protocol", "tcp"));
    }

    @Test
    void aPrivateHostIsRefusedWhenTheStreamIsDefined() {
        for (String host : List.of("127.0.0.1", "localhost", "0x7f000001", "[::1]", "::1", "10.0.0.1", "169.254.169.254")) {
            Rejection refused = catchThrowableOfType(() -> StreamDefinition.parse(body(host), SHIPPED, true),
                    Rejection.class);
            assertThat(refused).as(host).isNotNull();
            assertThat(refused.details()).extracting(Problem::field).as(host).containsExactly("host");
        }
        StreamDefinition allowed = StreamDefinition.parse(body("192.0.2.1"), SHIPPED, true);
        assertThat(allowed.settings().toString()).isEqualTo("{\"host\":\"192.0.2.1\",\"port\":514,\"protocol\":\"tcp\"}");
        assertThat(allowed.secret()).isEmpty();
    }

    @Test
    void aPrivateAddressIsNotConnectedToWhenSending() throws Exception {
        try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var transport = new SyslogTransport(SHIPPED, Duration.ofSeconds(1));
            var result = transport.send(new SyslogTransport.Destination("127.0.0.1", listening.getLocalPort(), false,
                    null), List.of(SyslogMessage.frame("<110>1 - - - - - - x")));
            assertThat(result).isEqualTo(StreamSender.Result.retry(PrivateDestinationException.REFUSED));
            listening.setSoTimeout(200);
            assertThat(catchThrowableOfType(listening::accept, java.net.SocketTimeoutException.class)).isNotNull();
        }
    }
}
