package org.auditlog.stream;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(StreamDao.Mapper.class)
public interface StreamDao {
    String COLUMNS = "s.id, s.tenant, s.name, s.type, s.format, s.filters::text as filters, s.blocks_retention, "
            + "s.settings::text as settings, s.secret, s.state, s.paused_reason, s.delivered_through_seq, s.delivered_hash, "
            + "s.lost_from_seq, s.lost_to_seq, s.attempts, s.last_error, s.failing_since, s.last_attempt_at, "
            + "s.last_delivered_at, s.created_by, s.created_at, s.updated_at";
    /** With the tenant's head and when the oldest event not yet delivered was received: a stream's status. */
    String STATUS = "select " + COLUMNS + ", h.last_seq as head_seq, "
            + "(select e.received_at from audit_events e where e.tenant = s.tenant and e.seq > s.delivered_through_seq "
            + "order by e.seq limit 1) as oldest_undelivered_at "
            + "from streams s left join chain_heads h on h.tenant = s.tenant ";

    /**
     * A new stream, its cursor just before the oldest event the tenant keeps (so it sends what is kept),
     * or at the head when the tenant has no event.
     */
    @SqlUpdate("insert into streams (id, tenant, name, type, format, filters, blocks_retention, settings, secret, "
            + "delivered_through_seq, created_by, created_at, updated_at) values (:id, :tenant, :name, :type, :format, "
            + "cast(:filters as jsonb), :blocks, cast(:settings as jsonb), :secret, coalesce((select min(seq) - 1 "
            + "from audit_events where tenant = :tenant), (select last_seq from chain_heads where tenant = :tenant), 0), "
            + ":by, :now, :now)")
    void insert(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("name") String name, @Bind("type") String type,
                @Bind("format") String format, @Bind("filters") String filters, @Bind("blocks") boolean blocks,
                @Bind("settings") String settings, @Bind("secret") String secret, @Bind("by") String by,
                @Bind("now") Instant now);

    @SqlUpdate("update streams set name = :name, format = :format, filters = cast(:filters as jsonb), "
            + "blocks_retention = :blocks, settings = cast(:settings as jsonb), secret = coalesce(:secret, secret), "
            + "updated_at = :now where tenant = :tenant and id = :id")
    int update(@Bind("tenant") String tenant, @Bind("id") UUID id, @Bind("name") String name,
               @Bind("format") String format, @Bind("filters") String filters, @Bind("blocks") boolean blocks,
               @Bind("settings") String settings, @Bind("secret") String secret, @Bind("now") Instant now);

    @SqlQuery(STATUS + "where s.tenant = :tenant order by s.created_at, s.id")
    List<Stream> list(@Bind("tenant") String tenant);

    @SqlQuery(STATUS + "where s.tenant = :tenant and s.id = :id")
    Optional<Stream> find(@Bind("tenant") String tenant, @Bind("id") UUID id);

    @SqlQuery("select exists (select 1 from streams where tenant = :tenant and name = :name and id <> :id)")
    boolean nameTaken(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("id") UUID id);

    @SqlQuery("select count(*) from streams where tenant = :tenant")
    int count(@Bind("tenant") String tenant);

    @SqlUpdate("delete from streams where tenant = :tenant and id = :id")
    int delete(@Bind("tenant") String tenant, @Bind("id") UUID id);

    @SqlUpdate("update streams set state = 'paused', paused_reason = :reason, updated_at = :now "
            + "where tenant = :tenant and id = :id")
    int pause(@Bind("tenant") String tenant, @Bind("id") UUID id, @Bind("reason") String reason, @Bind("now") Instant now);

    /** Active again, tried at once, its failures forgotten (the last error stays to read). */
    @SqlUpdate("update streams set state = 'active', paused_reason = null, attempts = 0, failing_since = null, "
            + "next_attempt_at = null, updated_at = :now where tenant = :tenant and id = :id")
    int resume(@Bind("tenant") String tenant, @Bind("id") UUID id, @Bind("now") Instant now);

    /** The cursor moved back to just before {@code fromSeq}; an attempt in flight then cannot move it on. */
    @SqlUpdate("update streams set delivered_through_seq = :fromSeq - 1, delivered_hash = (select hash from audit_events "
            + "where tenant = :tenant and seq = :fromSeq - 1), next_attempt_at = null, updated_at = :now "
            + "where tenant = :tenant and id = :id")
    int replay(@Bind("tenant") String tenant, @Bind("id") UUID id, @Bind("fromSeq") long fromSeq, @Bind("now") Instant now);

    final class Mapper implements RowMapper<Stream> {
        @Override
        public Stream map(ResultSet rs, StatementContext ctx) throws SQLException {
            boolean status = hasColumn(rs, "head_seq");
            return new Stream(rs.getObject("id", UUID.class), rs.getString("tenant"), rs.getString("name"),
                    StreamType.fromWire(rs.getString("type")).orElseThrow(),
                    StreamFormat.fromWire(rs.getString("format")).orElseThrow(), rs.getString("filters"),
                    rs.getBoolean("blocks_retention"), rs.getString("settings"), rs.getString("secret"),
                    rs.getString("state"), rs.getString("paused_reason"), rs.getLong("delivered_through_seq"),
                    rs.getBytes("delivered_hash"), rs.getObject("lost_from_seq", Long.class),
                    rs.getObject("lost_to_seq", Long.class), rs.getInt("attempts"), rs.getString("last_error"),
                    instant(rs, "failing_since"), instant(rs, "last_attempt_at"), instant(rs, "last_delivered_at"),
                    rs.getString("created_by"), instant(rs, "created_at"), instant(rs, "updated_at"),
                    status ? rs.getObject("head_seq", Long.class) : null,
                    status ? instant(rs, "oldest_undelivered_at") : null);
        }

        private static Instant instant(ResultSet rs, String column) throws SQLException {
            Timestamp value = rs.getTimestamp(column);
            return value == null ? null : value.toInstant();
        }

        private static boolean hasColumn(ResultSet rs, String column) throws SQLException {
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                if (rs.getMetaData().getColumnLabel(i).equals(column)) {
                    return true;
                }
            }
            return false;
        }
    }
}
