package org.auditlog.event;

import java.util.Arrays;
import java.util.Optional;

public enum Outcome {
    SUCCESS, FAILURE, DENIED, ERROR;

    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<Outcome> fromWire(String text) {
        return Arrays.stream(values()).filter(o -> o.wireName().equals(text)).findFirst();
    }
}
