package org.auditlog.integrity;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.StoredEventMapper;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * One link of a chain as stored: a whole event, or only the link (seq, prevHash, hash) that
 * retention keeps of an event it deleted between kept ones. {@code event} is null for a link.
 */
public record ChainEntry(long seq, byte[] prevHash, byte[] hash, AuditEvent event) {

    public static final class Mapper implements RowMapper<ChainEntry> {
        private final StoredEventMapper events = new StoredEventMapper();

        @Override
        public ChainEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
            if (rs.getBoolean("link_only")) {
                return new ChainEntry(rs.getLong("seq"), rs.getBytes("prev_hash"), rs.getBytes("hash"), null);
            }
            AuditEvent event = events.map(rs, ctx);
            return new ChainEntry(event.seq(), event.prevHashBytes(), event.hashBytes(), event);
        }
    }
}
