package org.auditlog.report;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;
import org.auditlog.common.WireNames;

/** The period a scheduled report covers, counted back from the moment the schedule fired, in UTC. */
enum ReportPeriod {
    /** Yesterday 00:00 to today 00:00. */
    PREVIOUS_DAY,
    /** The previous week's Monday 00:00 to this week's Monday 00:00. */
    PREVIOUS_WEEK,
    /** The 1st of last month 00:00 to the 1st of this month 00:00. */
    PREVIOUS_MONTH;

    private static final WireNames<ReportPeriod> WIRE_NAMES =
            new WireNames<>(ReportPeriod.class, period -> period.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));

    /** A period {@code [from, to)}. */
    record Range(Instant from, Instant to) {
    }

    String wireName() {
        return WIRE_NAMES.of(this);
    }

    static Optional<ReportPeriod> fromWire(String text) {
        return WIRE_NAMES.find(text);
    }

    /** The period before the day, week or month in which {@code firedAt} falls (UTC). */
    Range before(Instant firedAt) {
        LocalDate day = firedAt.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate end = switch (this) {
            case PREVIOUS_DAY -> day;
            case PREVIOUS_WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case PREVIOUS_MONTH -> day.withDayOfMonth(1);
        };
        LocalDate start = switch (this) {
            case PREVIOUS_DAY -> end.minusDays(1);
            case PREVIOUS_WEEK -> end.minusWeeks(1);
            case PREVIOUS_MONTH -> end.minusMonths(1);
        };
        return new Range(start.atStartOfDay(ZoneOffset.UTC).toInstant(), end.atStartOfDay(ZoneOffset.UTC).toInstant());
    }
}
