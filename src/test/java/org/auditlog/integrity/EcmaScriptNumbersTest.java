package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.erdtman.jcs.NumberToJSON;
import org.junit.jupiter.api.Test;

/** The number layout against RFC 8785's own examples and its reference implementation. */
class EcmaScriptNumbersTest {
    /** RFC 8785, Appendix B: IEEE 754 bits and the text every implementation must write. */
    private static final Object[][] APPENDIX_B = {
            {0x0000000000000000L, "0"}, {0x8000000000000000L, "0"}, {0x0000000000000001L, "5e-324"},
            {0x8000000000000001L, "-5e-324"}, {0x7fefffffffffffffL, "1.7976931348623157e+308"},
            {0xffefffffffffffffL, "-1.7976931348623157e+308"}, {0x4340000000000000L, "9007199254740992"},
            {0xc340000000000000L, "-9007199254740992"}, {0x4430000000000000L, "295147905179352830000"},
            {0x44b52d02c7e14af5L, "9.999999999999997e+22"}, {0x44b52d02c7e14af6L, "1e+23"},
            {0x44b52d02c7e14af7L, "1.0000000000000001e+23"}, {0x444b1ae4d6e2ef4eL, "999999999999999700000"},
            {0x444b1ae4d6e2ef4fL, "999999999999999900000"}, {0x444b1ae4d6e2ef50L, "1e+21"},
            {0x3eb0c6f7a0b5ed8cL, "9.999999999999997e-7"}, {0x3eb0c6f7a0b5ed8dL, "0.000001"},
            {0x41b3de4355555553L, "333333333.3333332"}, {0x41b3de4355555554L, "333333333.33333325"},
            {0x41b3de4355555555L, "333333333.3333333"}, {0x41b3de4355555556L, "333333333.3333334"},
            {0x41b3de4355555557L, "333333333.33333343"}, {0xbecbf647612f3696L, "-0.0000033333333333333333"},
            {0x43143ff3c1cb0959L, "1424953923781206.2"}};

    @Test
    void theExamplesOfRfc8785() {
        for (Object[] example : APPENDIX_B) {
            double value = Double.longBitsToDouble((Long) example[0]);
            assertThat(EcmaScriptNumbers.format(value)).as(Long.toHexString((Long) example[0])).isEqualTo(example[1]);
        }
    }

    @Test
    void anyDoubleAsTheReferenceImplementationWritesIt() throws Exception {
        Random random = new Random(262);
        for (int i = 0; i < 300_000; i++) {
            double value = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(random.nextLong()); // any exponent
                case 1 -> random.nextInt(2_000_000) / Math.pow(10, random.nextInt(12)); // short decimals
                case 2 -> (double) random.nextLong() / (1L << random.nextInt(63)); // near the layout limits
                default -> Math.scalb(random.nextDouble(), random.nextInt(160) - 80);
            };
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            assertThat(EcmaScriptNumbers.format(value)).as("bits %x", Double.doubleToRawLongBits(value))
                    .isEqualTo(NumberToJSON.serializeNumber(value));
        }
    }

    @Test
    void theLayoutChangesExactlyAtItsLimits() throws Exception {
        for (double value : new double[] {1e20, 1e21, 123456789012345678901.0, 1e-6, 1e-7, 1.5e-6, 1.5e-7, 0.1, 5e-324,
                Double.MIN_NORMAL, Double.MAX_VALUE, 9007199254740993.0, 4.35e-320}) {
            assertThat(EcmaScriptNumbers.format(value)).as("%s", value).isEqualTo(NumberToJSON.serializeNumber(value));
            assertThat(EcmaScriptNumbers.format(-value)).as("-%s", value).isEqualTo(NumberToJSON.serializeNumber(-value));
        }
    }

    @Test
    void whatJsonCannotWriteIsRefused() {
        for (double value : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> EcmaScriptNumbers.format(value)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
