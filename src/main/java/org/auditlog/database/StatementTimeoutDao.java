package org.auditlog.database;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** {@code SET LOCAL statement_timeout}, with the value bound. */
public interface StatementTimeoutDao {
    @SqlQuery("select set_config('statement_timeout', :milliseconds, true)")
    String limitThisTransaction(@Bind("milliseconds") String milliseconds);
}
