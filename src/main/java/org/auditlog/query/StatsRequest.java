package org.auditlog.query;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.auditlog.common.Rejection;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventGroup;
import org.auditlog.filter.QueryParameters;

/** Counts of the events a filter matches, grouped by one of the groups statistics offer. */
public record StatsRequest(EventFilter filter, EventGroup groupBy) {
    static final Set<EventGroup> GROUPS = EnumSet.of(EventGroup.ACTION, EventGroup.CATEGORY, EventGroup.OUTCOME,
            EventGroup.ACTOR_ID, EventGroup.RESOURCE_TYPE, EventGroup.MINUTE, EventGroup.HOUR,
            EventGroup.DAY);
    private static final String GROUP_NAMES = GROUPS.stream().map(EventGroup::wireName).sorted()
            .collect(Collectors.joining(", "));

    public StatsRequest {
        requireNonNull(filter, "filter is null");
        requireNonNull(groupBy, "groupBy is null");
        if (!GROUPS.contains(groupBy)) {
            throw Rejection.badParameter("groupBy", "must be one of " + GROUP_NAMES);
        }
    }

    /** From query parameters: {@code groupBy} (required) and the filters. */
    public static StatsRequest parse(Map<String, List<String>> parameters) {
        var query = QueryParameters.of(parameters);
        EventFilter filter = query.filter(Set.of("groupBy"));
        String groupBy = query.single("groupBy")
                .orElseThrow(() -> Rejection.badParameter("groupBy", "is required: one of " + GROUP_NAMES));
        return new StatsRequest(filter, EventGroup.fromWire(groupBy)
                .orElseThrow(() -> Rejection.badParameter("groupBy", "must be one of " + GROUP_NAMES)));
    }
}
