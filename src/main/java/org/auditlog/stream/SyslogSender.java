package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.regex.Pattern;
import org.auditlog.common.Problem;
import org.auditlog.outbound.PrivateAddresses;

/**
 * A {@code syslog} stream: each event an RFC 5424 message ({@link SyslogMessage}) with octet-counting
 * framing, a batch over one TCP or TLS connection ({@link SyslogTransport}).
 */
final class SyslogSender implements StreamSender {
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    private final SyslogTransport transport;
    private final ObjectMapper mapper;
    private final String hostname = SyslogMessage.localHostName();

    SyslogSender(SyslogTransport transport, ObjectMapper mapper) {
        this.transport = requireNonNull(transport, "transport is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /**
     * The type's settings, all shown back: {@code host} (checked by the guard), {@code port},
     * {@code protocol} ({@code tcp} or {@code tls}) and, with {@code tls} only, {@code caCertificate}.
     * Syslog has no secret: answers null.
     */
    static String settings(StreamDefinition.Settings given) {
        List<Problem> problems = given.problems();
        String host = given.request().string("host");
        if (host == null || !isHost(host)) {
            problems.add(new Problem("host", "must be a host name or an IP address, 1 to 253 characters"));
        } else {
            given.guard().checkHost("host", host).ifPresentOrElse(problems::add, () -> given.settings().put("host", host));
        }
        Long port = given.request().integer("port");
        if (port == null || port < 1 || port > 65_535) {
            problems.add(new Problem("port", "must be an integer from 1 to 65535"));
        } else {
            given.settings().put("port", port.intValue());
        }
        String protocol = given.request().string("protocol");
        if (!"tcp".equals(protocol) && !"tls".equals(protocol)) {
            problems.add(new Problem("protocol", "must be tcp or tls"));
        } else {
            given.settings().put("protocol", protocol);
        }
        if ("tcp".equals(protocol) && given.request().string("caCertificate") != null) {
            problems.add(new Problem("caCertificate", "is only for protocol tls"));
        } else {
            given.caCertificate();
        }
        return null;
    }

    /** A host name (letters, digits, hyphens, underscores; dotted labels of up to 63) or an IP literal. */
    static boolean isHost(String host) {
        return !host.isEmpty() && host.length() <= 253 && (HOST_NAME.matcher(host).matches()
                || (host.contains(":") && PrivateAddresses.literal(PrivateAddresses.normalize(host)).isPresent()));
    }

    @Override
    public Result send(Stream stream, List<Item> items) {
        JsonNode settings = StreamSender.settings(stream, mapper);
        var destination = new SyslogTransport.Destination(settings.path("host").asText(),
                settings.path("port").asInt(), settings.path("protocol").asText().equals("tls"),
                settings.path("caCertificate").isTextual() ? settings.get("caCertificate").textValue() : null);
        List<byte[]> frames = items.stream()
                .map(item -> SyslogMessage.frame(SyslogMessage.of(item.event(), item.line(), hostname))).toList();
        return transport.send(destination, frames);
    }
}
