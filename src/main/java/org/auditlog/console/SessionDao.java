package org.auditlog.console;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

interface SessionDao {
    /** A session's row with its key's current state, or nothing once it or its key has ended. */
    record Row(byte[] tokenHash, String csrfToken, Instant createdAt, Instant lastSeenAt, UUID keyId,
               String tenant, String keyName, List<String> roles) {
    }

    final class RowMapper implements org.jdbi.v3.core.mapper.RowMapper<Row> {
        @Override
        public Row map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new Row(rs.getBytes("token_hash"), rs.getString("csrf_token"),
                    rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant(),
                    rs.getObject("key_id", UUID.class), rs.getString("tenant"), rs.getString("key_name"),
                    List.of((String[]) rs.getArray("roles").getArray()));
        }
    }

    @SqlUpdate("insert into console_sessions (token_hash, key_id, tenant, csrf_token, created_at, last_seen_at) "
            + "values (:tokenHash, :keyId, :tenant, :csrf, :now, :now)")
    void open(@Bind("tokenHash") byte[] tokenHash, @Bind("keyId") UUID keyId, @Bind("tenant") String tenant,
              @Bind("csrf") String csrf, @Bind("now") Instant now);

    @SqlQuery("select s.token_hash, s.csrf_token, s.created_at, s.last_seen_at, k.id as key_id, k.tenant, "
            + "k.name as key_name, k.roles from console_sessions s join api_keys k on k.id = s.key_id "
            + "where s.token_hash = :tokenHash and s.ended_at is null and k.revoked_at is null "
            + "and s.last_seen_at > :idleSince and s.created_at > :startedSince")
    @RegisterRowMapper(RowMapper.class)
    Optional<Row> find(@Bind("tokenHash") byte[] tokenHash, @Bind("idleSince") Instant idleSince,
                       @Bind("startedSince") Instant startedSince);

    @SqlUpdate("update console_sessions set last_seen_at = :now where token_hash = :tokenHash and ended_at is null")
    void touch(@Bind("tokenHash") byte[] tokenHash, @Bind("now") Instant now);

    @SqlUpdate("update console_sessions set ended_at = :now, ended_why = :why "
            + "where token_hash = :tokenHash and ended_at is null")
    int end(@Bind("tokenHash") byte[] tokenHash, @Bind("now") Instant now, @Bind("why") String why);

    /** Sessions past their timeouts or of revoked keys are kept a day for the record, then removed. */
    @SqlUpdate("delete from console_sessions where last_seen_at < :before")
    int deleteOlderThan(@Bind("before") Instant before);
}
