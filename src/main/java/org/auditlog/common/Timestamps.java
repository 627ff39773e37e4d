package org.auditlog.common;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** The one time format of the API: ISO-8601 in, UTC with milliseconds out. */
public final class Timestamps {
    private static final DateTimeFormatter OUT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .toFormatter()
            .withZone(ZoneOffset.UTC);
    /** Year, month, day, hour, minute, second, millisecond: their widths and the character after each. */
    private static final int[] WIDTHS = {4, 2, 2, 2, 2, 2, 3};
    private static final String AFTER = "--T::.Z";
    private static final long FIRST_SECOND = LocalDateTime.of(0, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long LAST_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    /**
     * The first and last instants the API takes (years 0001 to 9999, UTC): every reader accepts
     * them, PostgreSQL (4713 BC to 294276 AD) and this class's own four-digit years among them. An
     * instant outside answers the client's 4xx instead of a database error.
     */
    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");
    /** What a client is told when {@link #parse} finds no instant. */
    public static final String EXPECTED = "must be an ISO-8601 date-time with an offset, like 2026-11-22T10:00:00Z, "
            + "from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z";

    private Timestamps() {
    }

    /**
     * {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC, written digit by digit for years 0 to 9999 (every
     * event is written with two of these, and the formatter's fraction goes through a
     * {@code BigDecimal}); other years through the formatter, which signs them.
     */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
            return OUT.format(instant);
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, instant.getNano(), ZoneOffset.UTC);
        int[] fields = {time.getYear(), time.getMonthValue(), time.getDayOfMonth(), time.getHour(), time.getMinute(),
                time.getSecond(), instant.getNano() / 1_000_000};
        char[] out = new char[24];
        int at = 0;
        for (int i = 0; i < fields.length; i++) {
            at = digits(out, at, fields[i], WIDTHS[i]);
            out[at++] = AFTER.charAt(i);
        }
        return new String(out);
    }

    /** Writes {@code value} in {@code width} digits at {@code at}; answers where they end. */
    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /**
     * Any ISO-8601 date-time with an offset ({@code Z} or {@code +02:00}), to the millisecond, from
     * {@link #EARLIEST} to {@link #LATEST}; anything else is empty (see {@link #EXPECTED}).
     */
    public static Optional<Instant> parse(String text) {
        try {
            Instant instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant()
                    .truncatedTo(ChronoUnit.MILLIS);
            return instant.isBefore(EARLIEST) || instant.isAfter(LATEST) ? Optional.empty() : Optional.of(instant);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
