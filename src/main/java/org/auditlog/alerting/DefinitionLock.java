package org.auditlog.alerting;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * A per-tenant lock on its alert rules and channels, held to the end of the transaction, so that
 * two requests at once cannot both pass the cap on how many the tenant may keep.
 */
public interface DefinitionLock {
    @SqlQuery("select true from pg_advisory_xact_lock(hashtextextended('alert-definitions:' || :tenant, 0))")
    boolean lock(@Bind("tenant") String tenant);
}
