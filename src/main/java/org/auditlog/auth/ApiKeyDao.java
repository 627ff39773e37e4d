package org.auditlog.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;

@RegisterRowMapper(ApiKeyMapper.class)
public interface ApiKeyDao {
    String COLUMNS = "id, tenant, name, roles, hint, created_at, created_by, revoked_at";

    @SqlUpdate("insert into api_keys (id, tenant, name, roles, secret_hash, hint, created_at, created_by) "
            + "values (:id, :tenant, :name, :roles, :secretHash, :hint, :createdAt, :createdBy)")
    void insert(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("name") String name,
                @Bind("roles") String[] roles, @Bind("secretHash") byte[] secretHash, @Bind("hint") String hint,
                @Bind("createdAt") Instant createdAt, @Bind("createdBy") String createdBy);

    @SqlQuery("select " + COLUMNS + " from api_keys where tenant = :tenant order by created_at, id")
    List<ApiKey> listByTenant(@Bind("tenant") String tenant);

    @SqlQuery("select " + COLUMNS + " from api_keys where tenant = :tenant and id = :id")
    Optional<ApiKey> find(@Bind("tenant") String tenant, @Bind("id") UUID id);

    @SqlQuery("select count(*) from api_keys where revoked_at is null")
    long countActive();

    @SqlUpdate("update api_keys set revoked_at = :now where tenant = :tenant and id = :id and revoked_at is null")
    int revoke(@Bind("tenant") String tenant, @Bind("id") UUID id, @Bind("now") Instant now);
}
