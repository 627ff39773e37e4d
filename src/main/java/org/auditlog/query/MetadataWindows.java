package org.auditlog.query;

/**
 * How many of the newest events a metadata match reads in order before it asks the GIN index.
 *
 * <p>PostgreSQL cannot estimate how many events hold a metadata value. Guessing "few" for a common
 * one, it collects every match through the GIN index and sorts them (about a second at 100,000
 * matches), where reading the newest events in order finds a page in milliseconds; for a rare value
 * the index is right. So a page is first looked for among the newest {@link #first} events that pass
 * the other conditions. When they hold some matches but not a page (the value is common enough, but
 * other events, such as the recorded reads of a tenant that is queried a lot, came in between), the
 * share they hold sizes one wider window ({@link #wider}); when they hold none, or the wider window
 * does not fill the page either, the plain query runs. A window is a prefix of the order, so a page
 * found in one is exact.
 */
public final class MetadataWindows {
    private MetadataWindows() {
    }

    /** The first window for a page of {@code rows}: enough for a value that one event in a hundred holds. */
    public static int first(int rows) {
        return Math.min(100 * rows, 20_000);
    }

    /**
     * The one wider window to read after {@code window} events held {@code found} (fewer than
     * {@code rows}) matches: twice what that share needs for a page. 0, and the index instead, when
     * they held none (a rare value, which the index finds at once) or when the share would need more
     * than ten first windows (better asked of the index than read in order).
     */
    public static int wider(int rows, int window, int found) {
        if (found == 0 || found >= rows) {
            return 0;
        }
        long needed = (long) rows * window / found;
        long widest = 10L * first(rows);
        return needed > widest ? 0 : (int) Math.min(widest, 2 * needed);
    }
}
