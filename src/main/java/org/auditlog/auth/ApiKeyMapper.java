package org.auditlog.auth;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

public final class ApiKeyMapper implements RowMapper<ApiKey> {
    @Override
    public ApiKey map(ResultSet rs, StatementContext ctx) throws SQLException {
        Array roles = rs.getArray("roles");
        Timestamp revoked = rs.getTimestamp("revoked_at");
        return new ApiKey(
                rs.getObject("id", UUID.class),
                rs.getString("tenant"),
                rs.getString("name"),
                List.of((String[]) roles.getArray()),
                rs.getString("hint"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("created_by"),
                revoked == null ? null : revoked.toInstant());
    }
}
