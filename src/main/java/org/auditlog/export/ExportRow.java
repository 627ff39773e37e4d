package org.auditlog.export;

import java.sql.ResultSet;
import java.sql.SQLException;
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

    /**
     * The columns {@link Mapper} reads, in its order, already as the text exports write: timestamps
     * in the API's format (UTC, milliseconds, as {@code Timestamps.format}), hashes in hex. PostgreSQL
     * formats them, so a row goes from the driver to the file with no parsing in between.
     */
    public static final String COLUMNS = "id::text, tenant, seq, "
            + "to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
            + "to_char(received_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), "
            + "category, action, outcome, actor_id, actor_type, actor_name, actor_email, resource_type, resource_id, "
            + "resource_name, source_ip, user_agent, request_id, reason, changes::text, metadata::text, idempotency_key, "
            + "encode(prev_hash, 'hex'), encode(hash, 'hex')";

    public static final class Mapper implements RowMapper<ExportRow> {
        @Override
        public ExportRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ExportRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                    rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15),
                    rs.getString(16), rs.getString(17), rs.getString(18), rs.getString(19), rs.getString(20),
                    rs.getString(21), rs.getString(22), rs.getString(23), rs.getString(24));
        }
    }
}
