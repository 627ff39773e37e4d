package org.auditlog.stream;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.auditlog.common.WireNames;

/** Where a stream sends: each type has its settings ({@link StreamDefinition}) and its {@link StreamSender}. */
public enum StreamType {
    WEBHOOK(List.of("url", "secret")),
    SPLUNK_HEC(List.of("url", "token", "caCertificate", "index")),
    SYSLOG(List.of("host", "port", "protocol", "caCertificate")),
    DATADOG(List.of("url", "apiKey"));

    private static final WireNames<StreamType> WIRE_NAMES = new WireNames<>(StreamType.class,
            type -> type.name().toLowerCase(Locale.ROOT).replace('_', '-'));

    private final List<String> members;

    StreamType(List<String> members) {
        this.members = members;
    }

    /** The type's settings, given as top-level members of a stream's definition (its secret among them). */
    public List<String> members() {
        return members;
    }

    public String wireName() {
        return WIRE_NAMES.of(this);
    }

    public static Optional<StreamType> fromWire(String text) {
        return WIRE_NAMES.find(text);
    }
}
