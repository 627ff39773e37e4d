package org.auditlog.query;

import java.util.List;

/** Counts of the matching events grouped by one dimension. */
public record Stats(String groupBy, long total, List<QueryDao.Bucket> buckets) {
    public Stats {
        buckets = List.copyOf(buckets);
    }
}
