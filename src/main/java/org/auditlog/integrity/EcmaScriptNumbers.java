package org.auditlog.integrity;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import java.math.BigDecimal;

/**
 * A double as ECMAScript's {@code Number.prototype.toString} writes it, which is how RFC 8785
 * (section 3.2.2.3) writes every number. The shortest decimal that reads back as the same double comes
 * from Jackson's Schubfach ({@link DoubleToDecimal}: Java 17's {@code Double.toString} is not always
 * the shortest); this class only lays those digits out as ECMAScript does (ECMA-262, Number::toString):
 * plain digits up to 10^21, {@code 0.000001} down to 10^-6, exponent form ({@code 1e+21},
 * {@code 1.5e-7}) beyond.
 */
final class EcmaScriptNumbers {
    private EcmaScriptNumbers() {
    }

    /** @throws IllegalArgumentException for NaN and the infinities, which JSON has no way to write */
    static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no way to write " + value);
        }
        if (value == 0) {
            return "0"; // and -0 too
        }
        StringBuilder out = new StringBuilder(26);
        if (value < 0) {
            out.append('-');
        }
        // Java's layout of the shortest digits: "123.45", "0.001", "1.2345E-7", "1.0E21"
        String java = DoubleToDecimal.toString(Math.abs(value));
        int e = java.indexOf('E');
        String mantissa = e < 0 ? java : java.substring(0, e);
        int exponent = e < 0 ? 0 : Integer.parseInt(java.substring(e + 1));
        int point = mantissa.indexOf('.');
        String all = mantissa.substring(0, point) + mantissa.substring(point + 1);
        int first = 0;
        while (all.charAt(first) == '0') {
            first++;
        }
        int last = all.length();
        while (all.charAt(last - 1) == '0') {
            last--;
        }
        String digits = all.substring(first, last); // s, with k = digits.length()
        int n = point - first + exponent; // value = 0.digits × 10^n
        if (digits.length() == 2 && Math.abs(value) < Double.MIN_NORMAL) {
            // Java writes at least two digits, so a subnormal that one digit identifies (5e-324, which
            // Java writes 4.9E-324) comes back with two; ECMAScript wants the one closest to the value
            String shorter = oneDigit(Math.abs(value), digits.charAt(0) - '0', n);
            if (shorter != null) {
                n += shorter.length() - 1;
                digits = shorter.substring(0, 1);
            }
        }
        int k = digits.length();
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(n - 1 < 0 ? '-' : '+').append(Math.abs(n - 1));
        }
        return out.toString();
    }

    /**
     * The one-digit decimal that reads back as {@code value} and is closest to it, when there is one:
     * {@code "d"} at {@code 10^(n-1)}, or {@code "10"} when rounding up carried into a new digit.
     */
    private static String oneDigit(double value, int leading, int n) {
        BigDecimal exact = new BigDecimal(value);
        String best = null;
        BigDecimal bestDistance = null;
        for (int d = leading; d <= leading + 1; d++) {
            BigDecimal candidate = BigDecimal.valueOf(d).scaleByPowerOfTen(n - 1);
            if (candidate.doubleValue() != value) {
                continue;
            }
            BigDecimal distance = candidate.subtract(exact).abs();
            if (bestDistance == null || distance.compareTo(bestDistance) < 0) {
                best = Integer.toString(d);
                bestDistance = distance;
            }
        }
        return best;
    }
}
