package org.auditlog.filter;

import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.common.Timestamps;
import org.auditlog.event.EventDraft;

/**
 * The one translation of the filter language into SQL: which events of {@code audit_events} a read,
 * a count, an export, a retention pass or a rule means, as a condition whose every value is a bound
 * parameter, never spliced into the text. Services compose it from a filter and typed conditions;
 * DAOs take it through {@link BindWhere}. Each condition is one the indexes of docs/api.md serve.
 * Values are immutable: each method answers a new condition.
 * <p>
 * Events are partitioned by the time they were received. Where a condition bounds {@code occurred_at}
 * from below, it bounds {@code received_at} too, to {@link EventDraft#MOST_AHEAD_OF_RECEIPT} before it
 * (no event happened later than that after it was received: the database refuses it), so that
 * PostgreSQL reads only the partitions that may hold matches. An upper bound says nothing of when an
 * event was received: one may be received long after it happened.
 */
public final class EventWhere {
    private final String prefix;
    private final List<String> conditions;
    private final List<String> metadataConditions;
    private final Map<String, Object> parameters;

    private EventWhere(String prefix, List<String> conditions, List<String> metadataConditions,
                       Map<String, Object> parameters) {
        this.prefix = prefix;
        this.conditions = conditions;
        this.metadataConditions = metadataConditions;
        this.parameters = parameters;
    }

    private EventWhere(String prefix) {
        this(prefix, new ArrayList<>(), new ArrayList<>(), new HashMap<>());
    }

    /** The tenant's events that match the filter. */
    public static EventWhere of(String tenant, EventFilter filter) {
        EventWhere where = new EventWhere("");
        where.add("tenant = :tenant", "tenant", tenant);
        where.addAll(filter);
        return where;
    }

    /**
     * The filter's conditions alone (no tenant), with parameter names starting with {@code prefix}
     * so several can share a statement; {@code true} when the filter is empty.
     */
    public static EventWhere matching(EventFilter filter, String prefix) {
        EventWhere where = new EventWhere(prefix);
        where.addAll(filter);
        return where;
    }

    /** Events at or before {@code seq}: a walk's snapshot. */
    public EventWhere atMostSeq(long seq) {
        return and("seq <= :?", seq);
    }

    /** Events after {@code seq}: past a stream's cursor. */
    public EventWhere afterSeq(long seq) {
        return and("seq > :?", seq);
    }

    /** Events received from {@code first} to {@code last}, both included: a batch whose times of receipt were read. */
    public EventWhere receivedWithin(Instant first, Instant last) {
        return and("received_at >= :?", Timestamp.from(first)).and("received_at <= :?", Timestamp.from(last));
    }

    /** Events after a position in the order by {@code (occurred_at, seq)}, ascending or descending. */
    public EventWhere after(boolean ascending, Instant at, long seq) {
        EventWhere where = ascending ? receivedFrom(at) : copy();
        String atName = where.name();
        where.parameters.put(atName, Timestamp.from(at));
        String seqName = where.name();
        where.parameters.put(seqName, seq);
        where.conditions.add("(occurred_at, seq) " + (ascending ? ">" : "<") + " (:" + atName + ", :" + seqName + ")");
        return where;
    }

    /** Events at {@code at} or later in the order: at or after it ascending, at or before it descending. */
    public EventWhere fromTime(boolean ascending, Timestamp at) {
        return ascending ? receivedFrom(at.toInstant()).and("occurred_at >= :?", at) : and("occurred_at <= :?", at);
    }

    /** Events that happened before {@code cutoff}. */
    public EventWhere occurredBefore(Instant cutoff) {
        return and("occurred_at < :?", Timestamp.from(cutoff));
    }

    /** Events that happened after {@code start} and at or before {@code end}: a rule's window. */
    public EventWhere occurredWithin(Instant start, Instant end) {
        return receivedFrom(start).and("occurred_at > :?", Timestamp.from(start)).and("occurred_at <= :?", Timestamp.from(end));
    }

    /** Events received no earlier than {@link EventDraft#MOST_AHEAD_OF_RECEIPT} before {@code occurredFrom}: all that may have happened since. */
    private EventWhere receivedFrom(Instant occurredFrom) {
        return and("received_at >= :?", receivedFromBound(occurredFrom));
    }

    /** The earliest time an event that happened at {@code occurredFrom} or later may have been received (never before year 1). */
    private static Timestamp receivedFromBound(Instant occurredFrom) {
        Instant bound = occurredFrom.minus(EventDraft.MOST_AHEAD_OF_RECEIPT);
        return Timestamp.from(bound.isBefore(Timestamps.EARLIEST) ? Timestamps.EARLIEST : bound);
    }

    public EventWhere inCategory(String category) {
        return and("category = :?", category);
    }

    public EventWhere notInCategories(Collection<String> categories) {
        return and("category <> all(:?)", categories.toArray(String[]::new));
    }

    /** Events that have a value to be grouped by. */
    public EventWhere present(EventGroup group) {
        EventWhere where = copy();
        where.conditions.add(group.sql() + " is not null");
        return where;
    }

    /** Events that some filter of {@code holds} matches. */
    public EventWhere matchedByAny(List<EventFilter> holds) {
        if (holds.isEmpty()) {
            return and("false");
        }
        EventWhere where = copy();
        // in a WHERE, null is no match: without coalesce, which no index sees through
        where.conditions.add("(" + where.any(holds) + ")");
        return where;
    }

    /** Events that no filter of {@code holds} matches. */
    public EventWhere matchedByNone(List<EventFilter> holds) {
        if (holds.isEmpty()) {
            return this;
        }
        EventWhere where = copy();
        where.conditions.add("not coalesce(" + where.any(holds) + ", false)");
        return where;
    }

    /** The whole condition; {@code true} when there is none. */
    public String sql() {
        List<String> all = new ArrayList<>(conditions);
        all.addAll(metadataConditions);
        return joined(all);
    }

    /** Whether the condition matches on metadata, which no statistics of PostgreSQL estimate well. */
    public boolean matchesMetadata() {
        return !metadataConditions.isEmpty();
    }

    /** The conditions but those on metadata. */
    public String sqlButMetadata() {
        return joined(conditions);
    }

    /** The conditions on metadata alone. */
    public String metadataSql() {
        return joined(metadataConditions);
    }

    public Map<String, Object> parameters() {
        return Map.copyOf(parameters);
    }

    /** Any of the filters, their values bound into this condition under names of their own. */
    private String any(List<EventFilter> filters) {
        List<String> each = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            EventWhere one = matching(filters.get(i), prefix + "h" + i + "_");
            each.add("(" + one.sql() + ")");
            parameters.putAll(one.parameters);
        }
        return "(" + String.join(" or ", each) + ")";
    }

    /** This condition and one more, its value (if any) bound where {@code :?} stands. */
    private EventWhere and(String condition, Object value) {
        EventWhere where = copy();
        String name = where.name();
        where.conditions.add(condition.replace(":?", ":" + name));
        where.parameters.put(name, value);
        return where;
    }

    private EventWhere and(String condition) {
        EventWhere where = copy();
        where.conditions.add(condition);
        return where;
    }

    /** A parameter name of this condition's own, apart from the filter's and from any prefix's. */
    private String name() {
        return prefix + "c" + parameters.size();
    }

    private EventWhere copy() {
        return new EventWhere(prefix, new ArrayList<>(conditions), new ArrayList<>(metadataConditions),
                new HashMap<>(parameters));
    }

    private void addAll(EventFilter filter) {
        filter.from().ifPresent(v -> {
            add("occurred_at >= :from", "from", Timestamp.from(v));
            add("received_at >= :receivedFrom", "receivedFrom", receivedFromBound(v));
        });
        filter.to().ifPresent(v -> add("occurred_at < :to", "to", Timestamp.from(v)));
        filter.actorId().ifPresent(v -> add("actor_id = :actorId", "actorId", v));
        filter.actorType().ifPresent(v -> add("actor_type = :actorType", "actorType", v));
        filter.action().ifPresent(v -> add("action = :action", "action", v));
        filter.actionPrefix().ifPresent(actionPrefix -> {
            // action is in the C collation: a prefix is a range of the action index
            add("action >= :actionFrom", "actionFrom", actionPrefix);
            add("action < :actionTo", "actionTo", actionPrefix.substring(0, actionPrefix.length() - 1) + "/");
        });
        filter.category().ifPresent(v -> add("category = :category", "category", v));
        filter.outcome().ifPresent(v -> add("outcome = :outcome", "outcome", v));
        filter.resourceType().ifPresent(v -> add("resource_type = :resourceType", "resourceType", v));
        filter.resourceId().ifPresent(v -> add("resource_id = :resourceId", "resourceId", v));
        filter.ip().ifPresent(v -> add("source_ip = :ip", "ip", v));
        filter.requestId().ifPresent(v -> add("request_id = :requestId", "requestId", v));
        int i = 0;
        for (var entry : filter.meta().entrySet()) {
            String name = "meta" + i++;
            String asString = JsonText.object(entry.getKey(), JsonText.string(entry.getValue()));
            String literal = JsonText.literal(entry.getValue());
            if (literal == null) {
                add(metadataConditions, "metadata @> cast(:" + name + " as jsonb)", name, asString);
            } else {
                parameters.put(prefix + name + "t", JsonText.object(entry.getKey(), literal));
                add(metadataConditions, "(metadata @> cast(:" + name + " as jsonb) or metadata @> cast(:" + name
                        + "t as jsonb))", name, asString);
            }
        }
    }

    private void add(String condition, String name, Object value) {
        add(conditions, condition, name, value);
    }

    private void add(List<String> to, String condition, String name, Object value) {
        to.add(prefix.isEmpty() ? condition : condition.replaceAll(":([a-zA-Z0-9]+)", ":" + prefix + "$1"));
        parameters.put(prefix + name, value);
    }

    private static String joined(List<String> conditions) {
        return conditions.isEmpty() ? "true" : String.join(" and ", conditions);
    }

    /** Just enough JSON text for containment values. */
    static final class JsonText {
        private JsonText() {
        }

        static String string(String value) {
            return TextNode.valueOf(value).toString();
        }

        static String object(String key, String valueJson) {
            return "{" + string(key) + ":" + valueJson + "}";
        }

        /** The value as a JSON number or boolean when it reads as one, so {@code meta.n=5} matches 5 and "5". */
        static String literal(String value) {
            if (value.equals("true") || value.equals("false")) {
                return value;
            }
            if (value.matches("-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,30})?")) {
                return new BigDecimal(value).toPlainString();
            }
            return null;
        }
    }
}
