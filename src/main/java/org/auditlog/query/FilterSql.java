package org.auditlog.query;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The WHERE clause of a filter, for the DAOs that read or delete events: every value is a bound
 * parameter, never spliced into the text. Each condition is one the indexes of docs/api.md serve.
 */
public final class FilterSql {
    private final String prefix;
    private final List<String> conditions = new ArrayList<>();
    private final List<String> metadataConditions = new ArrayList<>();
    private final Map<String, Object> parameters = new HashMap<>();

    private FilterSql(String prefix) {
        this.prefix = prefix;
    }

    /** The tenant's events that match the filter. */
    public static FilterSql of(String tenant, EventFilter filter) {
        FilterSql sql = new FilterSql("");
        sql.add("tenant = :tenant", "tenant", tenant);
        sql.addAll(filter);
        return sql;
    }

    /**
     * The filter's conditions alone (no tenant), with parameter names starting with {@code prefix}
     * so several can share a statement; {@code true} when the filter is empty.
     */
    public static FilterSql matching(EventFilter filter, String prefix) {
        FilterSql sql = new FilterSql(prefix);
        sql.addAll(filter);
        return sql;
    }

    private void addAll(EventFilter filter) {
        filter.from().ifPresent(v -> add("occurred_at >= :from", "from", Timestamp.from(v)));
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

    public FilterSql and(String condition, Map<String, Object> values) {
        conditions.add(condition);
        parameters.putAll(values);
        return this;
    }

    private void add(String condition, String name, Object value) {
        add(conditions, condition, name, value);
    }

    private void add(List<String> to, String condition, String name, Object value) {
        to.add(prefix.isEmpty() ? condition : condition.replaceAll(":([a-zA-Z0-9]+)", ":" + prefix + "$1"));
        parameters.put(prefix + name, value);
    }

    public String where() {
        List<String> all = new ArrayList<>(conditions);
        all.addAll(metadataConditions);
        return joined(all);
    }

    /** Whether the filter matches on metadata, which no statistics of PostgreSQL estimate well. */
    public boolean matchesMetadata() {
        return !metadataConditions.isEmpty();
    }

    /** The conditions but those on metadata. */
    public String whereButMetadata() {
        return joined(conditions);
    }

    /** The conditions on metadata alone. */
    public String metadataWhere() {
        return joined(metadataConditions);
    }

    private static String joined(List<String> conditions) {
        return conditions.isEmpty() ? "true" : String.join(" and ", conditions);
    }

    public Map<String, Object> parameters() {
        return Map.copyOf(parameters);
    }

    /** Just enough JSON text for containment values. */
    static final class JsonText {
        private JsonText() {
        }

        static String string(String value) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(value).toString();
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
