package org.auditlog.alerting;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.filter.EventFilter;

/** A validated threshold rule. */
public record AlertRule(
        String name,
        EventFilter filter,
        Duration window,
        String thresholdType,
        double greaterThan,
        long minEvents,
        Optional<String> groupBy,
        String severity,
        List<UUID> channels,
        Duration cooldown,
        boolean enabled) {
    public AlertRule {
        requireNonNull(name, "name is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(window, "window is null");
        requireNonNull(thresholdType, "thresholdType is null");
        requireNonNull(groupBy, "groupBy is null");
        requireNonNull(severity, "severity is null");
        channels = List.copyOf(channels);
        requireNonNull(cooldown, "cooldown is null");
    }

    public boolean isRatio() {
        return thresholdType.equals("ratio");
    }

    /** Whether {@code matched} of {@code total} events in the window cross the threshold. */
    public boolean crossedBy(long matched, long total) {
        if (total < minEvents || total == 0) {
            return false;
        }
        return value(matched, total) > greaterThan;
    }

    public double value(long matched, long total) {
        return isRatio() ? (total == 0 ? 0 : (double) matched / total) : matched;
    }
}
