package org.auditlog.retention;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.RequestBodies;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.FilterParser;

/** A legal hold to create: its name, why it is held (optional), and which events it keeps. */
public record HoldRequest(String name, String reason, EventFilter filter) {
    private static final Set<String> HOLD_FILTERS = Set.of("actorId", "resourceType", "resourceId", "category", "from", "to");

    public HoldRequest {
        requireNonNull(name, "name is null");
        requireNonNull(filter, "filter is null");
    }

    /** From a request body {@code {"name": ..., "reason": ..., "filters": {...}}}; every problem is named. */
    public static HoldRequest parse(JsonNode body) {
        var request = RequestBodies.object(body, List.of("name", "reason", "filters"));
        String name = request.string("name");
        String reason = request.string("reason");
        List<Problem> problems = new ArrayList<>();
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.add(new Problem("name", "must be 1 to 200 characters"));
        }
        if (reason != null && reason.length() > 2000) {
            problems.add(new Problem("reason", "must be at most 2000 characters"));
        }
        JsonNode filters = body.get("filters");
        if (filters != null && filters.isObject()) {
            filters.fieldNames().forEachRemaining(field -> {
                if (!HOLD_FILTERS.contains(field)) {
                    problems.add(new Problem("filters." + field, "is not a hold filter: use actorId, resourceType, "
                            + "resourceId, category, from, to"));
                }
            });
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        EventFilter filter = FilterParser.parseObject(filters, "filters");
        return new HoldRequest(name, reason, filter);
    }
}
