package org.auditlog.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The API's time format, written digit by digit, against the pattern it stands for. */
class TimestampsTest {
    private static final DateTimeFormatter PATTERN = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    @Test
    void writesWhatThePatternWritesForAnyInstant() {
        Random random = new Random(2026);
        long first = Instant.parse("-2000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("+12000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 200_000; i++) {
            Instant instant = Instant.ofEpochSecond(first + (long) (random.nextDouble() * (last - first)),
                    random.nextInt(1_000_000_000));
            assertThat(Timestamps.format(instant)).isEqualTo(PATTERN.format(instant));
        }
        for (String edge : new String[] {"0000-01-01T00:00:00Z", "-0001-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999Z",
                "+10000-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.001Z", "2024-02-29T12:00:00.5Z",
                "2026-12-01T05:30:00.123456789Z"}) {
            Instant instant = Instant.parse(edge);
            assertThat(Timestamps.format(instant)).as(edge).isEqualTo(PATTERN.format(instant));
        }
    }
}
