package org.auditlog.query;

import org.jdbi.v3.sqlobject.SingleValue;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

public interface SecretDao {
    /** The named secret, created from {@code candidate} by whichever instance asks first. */
    @SqlQuery("with created as (insert into service_secrets (name, value) values (:name, :candidate) "
            + "on conflict (name) do nothing returning value) "
            + "select value from created union all select value from service_secrets where name = :name limit 1")
    @SingleValue
    byte[] ensure(@Bind("name") String name, @Bind("candidate") byte[] candidate);
}
