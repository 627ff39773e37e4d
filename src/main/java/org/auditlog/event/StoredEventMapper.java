package org.auditlog.event;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Stream;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads a row of {@code audit_events} back into the event it stores. The statement selects
 * {@link #COLUMNS} first, in that order, which {@link #specialize} checks once per result: the
 * mapper reads by position (a page maps a hundred rows, and finding 24 columns by name in each
 * took a tenth of the mapping).
 */
public final class StoredEventMapper implements RowMapper<AuditEvent> {
    public static final String COLUMNS = "id, tenant, seq, occurred_at, received_at, category, action, outcome, "
            + "actor_id, actor_type, actor_name, actor_email, resource_type, resource_id, resource_name, "
            + "source_ip, user_agent, request_id, reason, changes::text as changes, metadata::text as metadata, "
            + "idempotency_key, prev_hash, hash";
    private static final List<String> LABELS = Stream.of(COLUMNS.split(",\\s*"))
            .map(column -> column.substring(column.lastIndexOf(' ') + 1)).toList();
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();

    /** Once per result: holds the statement to the order the mapper reads by. */
    @Override
    public RowMapper<AuditEvent> specialize(ResultSet rs, StatementContext ctx) throws SQLException {
        ResultSetMetaData columns = rs.getMetaData();
        for (int i = 0; i < LABELS.size(); i++) {
            String label = i < columns.getColumnCount() ? columns.getColumnLabel(i + 1) : "nothing";
            if (!label.equals(LABELS.get(i))) {
                throw new SQLException("column " + (i + 1) + " of a stored event is " + label + ", where "
                        + "StoredEventMapper.COLUMNS puts " + LABELS.get(i));
            }
        }
        return this;
    }

    @Override
    public AuditEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
        String resourceType = rs.getString(13);
        String sourceIp = rs.getString(16);
        String userAgent = rs.getString(17);
        return new AuditEvent(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5).toInstant(),
                rs.getString(6),
                rs.getString(7),
                Outcome.fromWire(rs.getString(8)).orElseThrow(),
                new Actor(rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12)),
                resourceType == null ? null : new Resource(resourceType, rs.getString(14), rs.getString(15)),
                sourceIp == null && userAgent == null ? null : new Source(sourceIp, userAgent),
                rs.getString(18),
                rs.getString(19),
                json(rs.getBytes(20)),
                json(rs.getBytes(21)),
                rs.getString(22),
                rs.getBytes(23),
                rs.getBytes(24));
    }

    /** A JSON column's text, as the UTF-8 the server sent (the driver's bytes: no string decoded first). */
    private static ObjectNode json(byte[] utf8) throws SQLException {
        if (utf8 == null) {
            return null;
        }
        try {
            return (ObjectNode) MAPPER.readTree(utf8);
        } catch (IOException | ClassCastException e) {
            throw new SQLException("stored JSON is not an object", e);
        }
    }
}
