package bench;

/** How the figures of the result are rounded. */
final class Numbers {
    private Numbers() {
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static double millis(long nanos) {
        return round(nanos / 1e6, 2);
    }

    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
