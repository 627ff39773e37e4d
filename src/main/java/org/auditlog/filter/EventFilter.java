package org.auditlog.filter;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The filters of a query, a statistics request, an export, a legal hold or an alert rule. {@code
 * actionPrefix} holds {@code user.} for {@code action=user.*}. Absent filters are empty.
 */
public record EventFilter(
        Optional<Instant> from,
        Optional<Instant> to,
        Optional<String> actorId,
        Optional<String> actorType,
        Optional<String> action,
        Optional<String> actionPrefix,
        Optional<String> category,
        Optional<String> outcome,
        Optional<String> resourceType,
        Optional<String> resourceId,
        Optional<String> ip,
        Optional<String> requestId,
        Map<String, String> meta) {
    public EventFilter {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(actorId, "actorId is null");
        requireNonNull(actorType, "actorType is null");
        requireNonNull(action, "action is null");
        requireNonNull(actionPrefix, "actionPrefix is null");
        requireNonNull(category, "category is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(resourceType, "resourceType is null");
        requireNonNull(resourceId, "resourceId is null");
        requireNonNull(ip, "ip is null");
        requireNonNull(requestId, "requestId is null");
        meta = Map.copyOf(new TreeMap<>(meta));
    }

    public static EventFilter none() {
        return new EventFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }

    /** The same filter within {@code [from, to)}, whatever times it had: a report's period. */
    public EventFilter within(Instant start, Instant end) {
        return new EventFilter(Optional.of(start), Optional.of(end), actorId, actorType, action, actionPrefix, category,
                outcome, resourceType, resourceId, ip, requestId, meta);
    }

    /** The same filter without its outcome: what a ratio rule measures its matches against. */
    public EventFilter withoutOutcome() {
        return new EventFilter(from, to, actorId, actorType, action, actionPrefix, category, Optional.empty(),
                resourceType, resourceId, ip, requestId, meta);
    }

    /** Only this filter's outcome: the numerator of a ratio rule within its denominator. */
    public EventFilter outcomeOnly() {
        return new EventFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), outcome, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Map.of());
    }

    /**
     * Whether one index serves this filter, but its metadata, in time order whatever its values: no
     * field condition, or one equality whose index continues with {@code (occurred_at, seq)} (actor,
     * action, category, resource type with or without its id). Its plan then need not depend on how
     * rare its values are, and can be made once for every value: see QueryService's pages.
     */
    public boolean oneIndexServes() {
        boolean resource = resourceType.isPresent();
        int fields = count(actorId) + count(action) + count(category) + (resource ? 1 : 0);
        boolean unindexed = actorType.isPresent() || actionPrefix.isPresent() || outcome.isPresent()
                || (resourceId.isPresent() && !resource) || ip.isPresent() || requestId.isPresent();
        return !unindexed && fields <= 1;
    }

    private static int count(Optional<String> condition) {
        return condition.isPresent() ? 1 : 0;
    }

    /** The filter as a JSON object of the same names as the query parameters, {@code meta} as an object. */
    public ObjectNode describe() {
        EventFilter filter = this;
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        filter.from().ifPresent(v -> node.put("from", v.toString()));
        filter.to().ifPresent(v -> node.put("to", v.toString()));
        filter.actorId().ifPresent(v -> node.put("actorId", v));
        filter.actorType().ifPresent(v -> node.put("actorType", v));
        filter.action().ifPresent(v -> node.put("action", v));
        filter.actionPrefix().ifPresent(v -> node.put("action", v + "*"));
        filter.category().ifPresent(v -> node.put("category", v));
        filter.outcome().ifPresent(v -> node.put("outcome", v));
        filter.resourceType().ifPresent(v -> node.put("resourceType", v));
        filter.resourceId().ifPresent(v -> node.put("resourceId", v));
        filter.ip().ifPresent(v -> node.put("ip", v));
        filter.requestId().ifPresent(v -> node.put("requestId", v));
        if (!filter.meta().isEmpty()) {
            ObjectNode meta = node.putObject("meta");
            new TreeMap<>(filter.meta()).forEach(meta::put);
        }
        return node;
    }
}
