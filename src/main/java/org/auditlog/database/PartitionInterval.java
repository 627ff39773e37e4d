package org.auditlog.database;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/** The span of a time partition of {@code audit_events}, in UTC, as PostgreSQL's {@code date_trunc} names it. */
public enum PartitionInterval {
    DAY, WEEK, MONTH;

    @JsonValue
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static PartitionInterval of(String name) {
        for (PartitionInterval interval : values()) {
            if (interval.sqlName().equals(name)) {
                return interval;
            }
        }
        throw new IllegalArgumentException("storage.partitionInterval must be month, week or day, not " + name);
    }

    /** The same time {@code count} intervals later. */
    public Instant plus(Instant at, int count) {
        ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
        return (switch (this) {
            case DAY -> utc.plusDays(count);
            case WEEK -> utc.plusWeeks(count);
            case MONTH -> utc.plusMonths(count);
        }).toInstant();
    }
}
