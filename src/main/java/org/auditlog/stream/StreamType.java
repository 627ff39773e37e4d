package org.auditlog.stream;

import java.util.Locale;
import java.util.Optional;
import org.auditlog.common.WireNames;

/** Where a stream sends: each type has its settings ({@link StreamDefinition}) and its {@link StreamSender}. */
public enum StreamType {
    WEBHOOK,
    SPLUNK_HEC,
    SYSLOG,
    DATADOG;

    private static final WireNames<StreamType> WIRE_NAMES = new WireNames<>(StreamType.class,
            type -> type.name().toLowerCase(Locale.ROOT).replace('_', '-'));

    public String wireName() {
        return WIRE_NAMES.of(this);
    }

    public static Optional<StreamType> fromWire(String text) {
        return WIRE_NAMES.find(text);
    }
}
