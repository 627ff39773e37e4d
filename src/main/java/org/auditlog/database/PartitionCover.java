package org.auditlog.database;

import java.time.Instant;

/** Makes sure a partition of {@code audit_events} holds each time an append is about to write. */
public interface PartitionCover {
    /** Nothing to create: the partitions that hold what is written exist already, or the table has none. */
    PartitionCover EXISTING = new PartitionCover() {
        @Override
        public void cover(Instant earliest, Instant latest) {
        }

        @Override
        public void forget() {
        }
    };

    /** Makes sure a partition holds every time from {@code earliest} to {@code latest}, creating what is missing. */
    void cover(Instant earliest, Instant latest);

    /** Forgets what is known, after a write found a partition missing that was thought to exist. */
    void forget();
}
