package org.auditlog.integrity;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.StoredEventMapper;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * One link of a chain as stored: a whole event, or only the link (seq, prevHash, hash) that
 * retention keeps of an event it deleted between kept ones ({@code event} is null and {@code link}
 * true). A row that cannot be read (a column emptied or a value the event cannot hold, written
 * behind the service's back) has {@code unreadable} set to what is wrong, so the verifier reports
 * it at its seq instead of failing.
 */
public record ChainEntry(long seq, byte[] prevHash, byte[] hash, AuditEvent event, boolean link, String unreadable) {

    public static final class Mapper implements RowMapper<ChainEntry> {
        private final StoredEventMapper events = new StoredEventMapper();

        @Override
        public ChainEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            long seq = rs.getLong("seq");
            if (rs.getBoolean("link_only")) {
                return new ChainEntry(seq, rs.getBytes("prev_hash"), rs.getBytes("hash"), null, true,
                        rs.getBytes("prev_hash") == null || rs.getBytes("hash") == null ? "an empty hash" : null);
            }
            try {
                AuditEvent event = events.map(rs, ctx);
                if (event.prevHashBytes() == null || event.hashBytes() == null) {
                    return new ChainEntry(seq, null, null, null, false, "an empty hash");
                }
                return new ChainEntry(event.seq(), event.prevHashBytes(), event.hashBytes(), event, false, null);
            } catch (SQLException | RuntimeException e) {
                return new ChainEntry(seq, null, null, null, false, describe(e));
            }
        }

        private static String describe(Exception e) {
            if (e instanceof NullPointerException) {
                return "a column that may not be empty is empty";
            }
            String message = e.getMessage();
            return message == null || message.length() > 200 ? e.getClass().getSimpleName() : message;
        }
    }
}
