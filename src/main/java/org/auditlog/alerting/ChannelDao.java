package org.auditlog.alerting;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
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

@RegisterRowMapper(ChannelDao.Mapper.class)
public interface ChannelDao {
    String COLUMNS = "id, tenant, type, url, email_to, created_at, created_by, secret";

    @SqlUpdate("insert into alert_channels (id, tenant, type, url, secret, email_to, created_at, created_by) "
            + "values (:id, :tenant, :type, :url, :secret, :to, :now, :by)")
    void insert(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("type") String type, @Bind("url") String url,
                @Bind("secret") String secret, @Bind("to") String[] to, @Bind("now") Instant now, @Bind("by") String by);

    @SqlQuery("select " + COLUMNS + " from alert_channels where tenant = :tenant and deleted_at is null order by created_at, id")
    List<Channel> list(@Bind("tenant") String tenant);

    @SqlQuery("select " + COLUMNS + " from alert_channels where tenant = :tenant and id = :id and deleted_at is null")
    Optional<Channel> find(@Bind("tenant") String tenant, @Bind("id") UUID id);

    @SqlQuery("select count(*) from alert_channels where tenant = :tenant and deleted_at is null")
    int count(@Bind("tenant") String tenant);

    @SqlUpdate("update alert_channels set deleted_at = now() where tenant = :tenant and id = :id and deleted_at is null")
    int delete(@Bind("tenant") String tenant, @Bind("id") UUID id);

    final class Mapper implements RowMapper<Channel> {
        @Override
        public Channel map(ResultSet rs, StatementContext ctx) throws SQLException {
            Array to = rs.getArray("email_to");
            return new Channel(rs.getObject("id", UUID.class), rs.getString("tenant"), rs.getString("type"),
                    rs.getString("url"), to == null ? null : List.of((String[]) to.getArray()),
                    rs.getTimestamp("created_at").toInstant(), rs.getString("created_by"), rs.getString("secret"));
        }
    }
}
