package org.auditlog.query;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.auditlog.common.Rejection;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.QueryParameters;

/** One page of a search: the filter, the page size, the order and, after the first page, the cursor. */
public record SearchRequest(EventFilter filter, int limit, boolean ascending, Optional<String> cursor) {
    public SearchRequest {
        requireNonNull(filter, "filter is null");
        requireNonNull(cursor, "cursor is null");
        if (limit < 1 || limit > 1000) {
            throw badLimit();
        }
    }

    /** From query parameters ({@code limit}, {@code order}, {@code cursor} and the filters), each given once. */
    public static SearchRequest parse(Map<String, List<String>> parameters) {
        var query = QueryParameters.of(parameters);
        EventFilter filter = query.filter(Set.of("limit", "order", "cursor"));
        return new SearchRequest(filter, limit(query.single("limit")), ascending(query.single("order")),
                query.single("cursor"));
    }

    private static int limit(Optional<String> text) {
        // read before order and cursor are looked at
        return QueryParameters.pageSize("limit", text, 100, 1000);
    }

    private static Rejection badLimit() {
        return Rejection.badParameter("limit", "must be a whole number from 1 to 1000");
    }

    private static boolean ascending(Optional<String> order) {
        if (order.isEmpty() || order.get().equals("desc")) {
            return false;
        }
        if (order.get().equals("asc")) {
            return true;
        }
        throw Rejection.badParameter("order", "must be asc or desc");
    }
}
