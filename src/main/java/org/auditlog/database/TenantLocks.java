package org.auditlog.database;

import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Per-tenant locks held to the end of the transaction, one per {@code scope} (a tenant's exports,
 * its legal holds, its alert definitions), so that a check and the write it allows happen as one
 * across every instance: two requests at once cannot together pass a cap, and a hold is never
 * created in the middle of a retention batch.
 */
public interface TenantLocks {
    @SqlQuery("select true from pg_advisory_xact_lock(hashtextextended(:scope || ':' || :tenant, 0))")
    boolean lock(@Bind("scope") String scope, @Bind("tenant") String tenant);

    /** Shared with other holders of the shared lock; waits for, and holds off, {@link #lock}. */
    @SqlQuery("select true from pg_advisory_xact_lock_shared(hashtextextended(:scope || ':' || :tenant, 0))")
    boolean lockShared(@Bind("scope") String scope, @Bind("tenant") String tenant);
}
