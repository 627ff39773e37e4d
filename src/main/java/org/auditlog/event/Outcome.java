package org.auditlog.event;

import java.util.Optional;
import org.auditlog.common.WireNames;

public enum Outcome {
    SUCCESS, FAILURE, DENIED, ERROR;

    private static final WireNames<Outcome> WIRE_NAMES = new WireNames<>(Outcome.class);

    public String wireName() {
        return WIRE_NAMES.of(this);
    }

    public static Optional<Outcome> fromWire(String text) {
        return WIRE_NAMES.find(text);
    }
}
