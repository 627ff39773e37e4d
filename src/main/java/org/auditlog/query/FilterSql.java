package org.auditlog.query;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The WHERE clause of a filter, for the DAOs of this package: every value is a bound parameter,
 * never spliced into the text. Each condition is one the indexes of docs/api.md serve.
 */
public final class FilterSql {
    private final List<String> conditions = new ArrayList<>();
    private final Map<String, Object> parameters = new HashMap<>();

    private FilterSql() {
    }

    public static FilterSql of(String tenant, EventFilter filter) {
        FilterSql sql = new FilterSql();
        sql.add("tenant = :tenant", "tenant", tenant);
        filter.from().ifPresent(v -> sql.add("occurred_at >= :from", "from", Timestamp.from(v)));
        filter.to().ifPresent(v -> sql.add("occurred_at < :to", "to", Timestamp.from(v)));
        filter.actorId().ifPresent(v -> sql.add("actor_id = :actorId", "actorId", v));
        filter.actorType().ifPresent(v -> sql.add("actor_type = :actorType", "actorType", v));
        filter.action().ifPresent(v -> sql.add("action = :action", "action", v));
        filter.actionPrefix().ifPresent(prefix -> {
            // action is in the C collation: a prefix is a range of the action index
            sql.add("action >= :actionFrom", "actionFrom", prefix);
            sql.add("action < :actionTo", "actionTo", prefix.substring(0, prefix.length() - 1) + "/");
        });
        filter.category().ifPresent(v -> sql.add("category = :category", "category", v));
        filter.outcome().ifPresent(v -> sql.add("outcome = :outcome", "outcome", v));
        filter.resourceType().ifPresent(v -> sql.add("resource_type = :resourceType", "resourceType", v));
        filter.resourceId().ifPresent(v -> sql.add("resource_id = :resourceId", "resourceId", v));
        filter.ip().ifPresent(v -> sql.add("source_ip = :ip", "ip", v));
        filter.requestId().ifPresent(v -> sql.add("request_id = :requestId", "requestId", v));
        int i = 0;
        for (var entry : filter.meta().entrySet()) {
            String name = "meta" + i++;
            String asString = JsonText.object(entry.getKey(), JsonText.string(entry.getValue()));
            String literal = JsonText.literal(entry.getValue());
            if (literal == null) {
                sql.add("metadata @> cast(:" + name + " as jsonb)", name, asString);
            } else {
                sql.parameters.put(name + "t", JsonText.object(entry.getKey(), literal));
                sql.add("(metadata @> cast(:" + name + " as jsonb) or metadata @> cast(:" + name + "t as jsonb))",
                        name, asString);
            }
        }
        return sql;
    }

    public FilterSql and(String condition, Map<String, Object> values) {
        conditions.add(condition);
        parameters.putAll(values);
        return this;
    }

    private void add(String condition, String name, Object value) {
        conditions.add(condition);
        parameters.put(name, value);
    }

    public String where() {
        return String.join(" and ", conditions);
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
