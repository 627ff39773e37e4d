package org.auditlog.event;

import static org.auditlog.event.EventField.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Reads a row of {@code audit_events} back into the event it stores. The statement selects
 * {@link #COLUMNS} first, in that order, which {@link #specialize} checks once per result: the
 * mapper reads by position (a page maps a hundred rows, and finding 24 columns by name in each
 * took a tenth of the mapping).
 */
public final class StoredEventMapper implements RowMapper<AuditEvent> {
    /** What a statement selects first, {@code <eventColumns>} in a DAO with {@link EventColumns}. */
    public static final String COLUMNS = EventColumns.STORED;
    private static final List<String> LABELS = EventField.ALL.stream().map(EventField::column).toList();
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
        String resourceType = rs.getString(RESOURCE_TYPE.position());
        String sourceIp = rs.getString(SOURCE_IP.position());
        String userAgent = rs.getString(USER_AGENT.position());
        return new AuditEvent(
                rs.getString(ID.position()),
                rs.getString(TENANT.position()),
                rs.getLong(SEQ.position()),
                rs.getTimestamp(OCCURRED_AT.position()).toInstant(),
                rs.getTimestamp(RECEIVED_AT.position()).toInstant(),
                rs.getString(CATEGORY.position()),
                rs.getString(ACTION.position()),
                Outcome.fromWire(rs.getString(OUTCOME.position())).orElseThrow(),
                new Actor(rs.getString(ACTOR_ID.position()), rs.getString(ACTOR_TYPE.position()),
                        rs.getString(ACTOR_NAME.position()), rs.getString(ACTOR_EMAIL.position())),
                resourceType == null ? null
                        : new Resource(resourceType, rs.getString(RESOURCE_ID.position()), rs.getString(RESOURCE_NAME.position())),
                sourceIp == null && userAgent == null ? null : new Source(sourceIp, userAgent),
                rs.getString(REQUEST_ID.position()),
                rs.getString(REASON.position()),
                json(rs.getBytes(CHANGES.position())),
                json(rs.getBytes(METADATA.position())),
                rs.getString(IDEMPOTENCY_KEY.position()),
                rs.getBytes(PREV_HASH.position()),
                rs.getBytes(HASH.position()));
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
