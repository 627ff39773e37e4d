package org.auditlog.alerting;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Whether an alert is still over its threshold or has fallen back; stored and shown by its wire name. */
public enum AlertState {
    FIRING,
    RESOLVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AlertState> fromWire(String text) {
        return Arrays.stream(values()).filter(state -> state.wireName().equals(text)).findFirst();
    }
}
