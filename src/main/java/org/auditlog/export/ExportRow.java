package org.auditlog.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * An event as exports write it: every value already as text, {@code metadata} and {@code changes} as
 * the JSON text PostgreSQL gives, so a row goes from the driver to the file without being rebuilt.
 */
public record ExportRow(
        String id, String tenant, long seq, String occurredAt, String receivedAt, String category, String action,
        String outcome, String actorId, String actorType, String actorName, String actorEmail, String resourceType,
        String resourceId, String resourceName, String sourceIp, String userAgent, String requestId, String reason,
        String changes, String metadata, String idempotencyKey, String prevHash, String hash) {

    public static final class Mapper implements RowMapper<ExportRow> {
        @Override
        public ExportRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            HexFormat hex = HexFormat.of();
            return new ExportRow(rs.getString("id"), rs.getString("tenant"), rs.getLong("seq"),
                    Timestamps.format(rs.getTimestamp("occurred_at").toInstant()),
                    Timestamps.format(rs.getTimestamp("received_at").toInstant()), rs.getString("category"),
                    rs.getString("action"), rs.getString("outcome"), rs.getString("actor_id"),
                    rs.getString("actor_type"), rs.getString("actor_name"), rs.getString("actor_email"),
                    rs.getString("resource_type"), rs.getString("resource_id"), rs.getString("resource_name"),
                    rs.getString("source_ip"), rs.getString("user_agent"), rs.getString("request_id"),
                    rs.getString("reason"), rs.getString("changes"), rs.getString("metadata"),
                    rs.getString("idempotency_key"), hex.formatHex(rs.getBytes("prev_hash")),
                    hex.formatHex(rs.getBytes("hash")));
        }
    }
}
