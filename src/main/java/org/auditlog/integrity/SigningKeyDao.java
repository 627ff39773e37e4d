package org.auditlog.integrity;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(PublicSigningKey.class)
public interface SigningKeyDao {
    @SqlUpdate("insert into signing_keys (key_id, algorithm, public_key, created_at) "
            + "values (:keyId, 'Ed25519', :publicKey, :createdAt) on conflict (key_id) do nothing")
    void register(@Bind("keyId") String keyId, @Bind("publicKey") byte[] publicKey, @Bind("createdAt") Instant createdAt);

    @SqlUpdate("update signing_keys set retired_at = :now where key_id = :keyId and retired_at is null")
    void retire(@Bind("keyId") String keyId, @Bind("now") Instant now);

    @SqlQuery("select key_id, algorithm, public_key, created_at, retired_at from signing_keys order by created_at, key_id")
    List<PublicSigningKey> list();
}
