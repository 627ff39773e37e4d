package org.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.auditlog.query.MetadataWindows.Mix;
import org.junit.jupiter.api.Test;

/** The choice between a wider window and the index, for a page of 101 (a first window of 10,100). */
class MetadataWindowsTest {
    @Test
    void theFirstWindowHoldsAHundredEventsAPageAtMost20000() {
        assertThat(MetadataWindows.first(101)).isEqualTo(10_100);
        assertThat(MetadataWindows.first(2)).isEqualTo(200);
        assertThat(MetadataWindows.first(1001)).isEqualTo(20_000);
    }

    @Test
    void someMatchesSizeTheWiderWindowByTheirShare() {
        assertThat(MetadataWindows.wider(101, 10_100, 50)).isEqualTo(2 * 101 * 10_100 / 50);
        assertThat(MetadataWindows.wider(101, 10_100, 15)).isEqualTo(101_000); // needs 68,006: capped
        assertThat(MetadataWindows.wider(101, 10_100, 10)).isZero(); // needs 102,010: the index
        assertThatThrownBy(() -> MetadataWindows.wider(101, 10_100, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetadataWindows.wider(101, 10_100, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noMatchAmongEventsThatCouldHoldItIsARareValueForTheIndex() {
        assertThat(MetadataWindows.widerAfterNone(101, 10_100, new Mix(10_100, 10_100))).isZero();
        assertThat(MetadataWindows.widerAfterNone(101, 10_100, new Mix(10_100, 5_050))).isZero();
        assertThat(MetadataWindows.widerAfterNone(101, 10_100, new Mix(300, 300))).isZero(); // a small tenant
        assertThat(MetadataWindows.widerAfterNone(101, 10_100, new Mix(0, 0))).isZero();
    }

    @Test
    void noMatchAmongMostlyRecordedReadsLooksPastThem() {
        assertThat(MetadataWindows.widerAfterNone(101, 10_100, new Mix(10_100, 1_700))).isEqualTo(10_100 + 8_400);
        assertThat(MetadataWindows.widerAfterNone(101, 10_100, new Mix(10_100, 0))).isEqualTo(101_000);
    }
}
