package org.auditlog.query;

import org.auditlog.trail.AuditTrail;

/**
 * How many of the newest events a metadata match reads in order before it asks the GIN index.
 *
 * <p>PostgreSQL cannot estimate how many events hold a metadata value. Guessing "few" for a common
 * one, it collects every match through the GIN index and sorts them (about a second at 100,000
 * matches), where reading the newest events in order finds a page in milliseconds; for a rare value
 * the index is right. So a page is first looked for among the newest {@link #first} events that pass
 * the other conditions. A window is a prefix of the order, so a page found in one is exact. When
 * the window does not hold a page, {@link #wider} or {@link #widerAfterNone} decides between one
 * wider window and the index.
 */
public final class MetadataWindows {
    /**
     * Of a window's events: how many there were, and how many were not the tenant's recorded reads
     * ({@link AuditTrail#ACCESS}).
     */
    public record Mix(long events, long notReads) {
    }

    private MetadataWindows() {
    }

    /** The first window for a page of {@code rows}: enough for a value that one event in a hundred holds. */
    public static int first(int rows) {
        return Math.min(100 * rows, 20_000);
    }

    /**
     * The one wider window to read after {@code window} events held {@code found} matches, more than
     * none and fewer than {@code rows}, or 0 for the index: twice what their share needs for a page,
     * or the index when that is more than ten first windows (too thin a share to read in order). It
     * is read on from the last match found, so it reaches at least as far as a window of that size
     * from the start would.
     */
    public static int wider(int rows, int window, int found) {
        if (found <= 0 || found >= rows) {
            throw new IllegalArgumentException("found " + found + " of " + rows);
        }
        long needed = (long) rows * window / found;
        return needed > widest(rows) ? 0 : (int) Math.min(widest(rows), 2 * needed);
    }

    /**
     * The one wider window to read after a full first {@code window} held no match, or 0 for the
     * index, which finds a rare value at once: the index, unless most of the window was the tenant's
     * recorded reads ({@code seen}; a tenant queried far more than it is written to), which say
     * nothing of how rare the value is. Then a window that reaches past those reads by as many
     * events as the first one, or the widest when the reads filled the whole first window. Only the
     * events past the first window need reading: it held no match.
     */
    public static int widerAfterNone(int rows, int window, Mix seen) {
        if (2 * seen.notReads() >= seen.events()) {
            return 0;
        }
        long reads = seen.events() - seen.notReads();
        return seen.notReads() == 0 ? widest(rows) : (int) Math.min(widest(rows), window + reads);
    }

    private static int widest(int rows) {
        return 10 * first(rows);
    }
}
