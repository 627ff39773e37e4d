package org.auditlog.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Reads a row of {@code audit_events} (selected with {@link #COLUMNS}) back into the event it stores. */
public final class StoredEventMapper implements RowMapper<AuditEvent> {
    public static final String COLUMNS = "id, tenant, seq, occurred_at, received_at, category, action, outcome, "
            + "actor_id, actor_type, actor_name, actor_email, resource_type, resource_id, resource_name, "
            + "source_ip, user_agent, request_id, reason, changes::text as changes, metadata::text as metadata, "
            + "idempotency_key, prev_hash, hash";
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    @Override
    public AuditEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
        String resourceType = rs.getString("resource_type");
        String sourceIp = rs.getString("source_ip");
        String userAgent = rs.getString("user_agent");
        return new AuditEvent(
                rs.getString("id"),
                rs.getString("tenant"),
                rs.getLong("seq"),
                rs.getTimestamp("occurred_at").toInstant(),
                rs.getTimestamp("received_at").toInstant(),
                rs.getString("category"),
                rs.getString("action"),
                Outcome.fromWire(rs.getString("outcome")).orElseThrow(),
                new Actor(rs.getString("actor_id"), rs.getString("actor_type"), rs.getString("actor_name"),
                        rs.getString("actor_email")),
                resourceType == null ? null
                        : new Resource(resourceType, rs.getString("resource_id"), rs.getString("resource_name")),
                sourceIp == null && userAgent == null ? null : new Source(sourceIp, userAgent),
                rs.getString("request_id"),
                rs.getString("reason"),
                json(rs.getString("changes")),
                json(rs.getString("metadata")),
                rs.getString("idempotency_key"),
                rs.getBytes("prev_hash"),
                rs.getBytes("hash"));
    }

    private static ObjectNode json(String text) throws SQLException {
        if (text == null) {
            return null;
        }
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new SQLException("stored JSON is not an object", e);
        }
    }
}
