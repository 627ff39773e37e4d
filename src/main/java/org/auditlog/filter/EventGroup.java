package org.auditlog.filter;

import java.util.Optional;
import org.auditlog.common.WireNames;

/**
 * What events can be counted by: statistics group by any of these, alert rules by some. The SQL of
 * each is here, with the rest of the filter's translation, so services name a group and never write
 * its expression.
 */
public enum EventGroup {
    ACTION("action", "action"),
    CATEGORY("category", "category"),
    OUTCOME("outcome", "outcome"),
    ACTOR_ID("actorId", "actor_id"),
    RESOURCE_TYPE("resourceType", "resource_type"),
    RESOURCE_ID("resourceId", "resource_id"),
    IP("ip", "source_ip"),
    MINUTE("minute", "to_char(date_trunc('minute', occurred_at at time zone 'UTC'), 'YYYY-MM-DD\"T\"HH24:MI:00.000\"Z\"')"),
    HOUR("hour", "to_char(date_trunc('hour', occurred_at at time zone 'UTC'), 'YYYY-MM-DD\"T\"HH24:00:00.000\"Z\"')"),
    DAY("day", "to_char(date_trunc('day', occurred_at at time zone 'UTC'), 'YYYY-MM-DD\"T\"00:00:00.000\"Z\"')");

    private static final WireNames<EventGroup> WIRE_NAMES = new WireNames<>(EventGroup.class, g -> g.wireName);

    private final String wireName;
    private final String sql;

    EventGroup(String wireName, String sql) {
        this.wireName = wireName;
        this.sql = sql;
    }

    public String wireName() {
        return wireName;
    }

    /** The expression grouped by, for the DAOs. */
    public String sql() {
        return sql;
    }

    /** Whether the groups are times, listed in time order rather than by count. */
    public boolean byTime() {
        return this == MINUTE || this == HOUR || this == DAY;
    }

    public static Optional<EventGroup> fromWire(String name) {
        return WIRE_NAMES.find(name);
    }
}
