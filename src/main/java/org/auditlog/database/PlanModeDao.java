package org.auditlog.database;

import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * How the statements of the current transaction are planned; both end with it. The connections plan
 * each statement with its values (config.yml: {@code plan_cache_mode=force_custom_plan}), which over
 * many partitions of {@code audit_events} can take several times as long as running it. A statement
 * whose best plan does not depend on its values (one index serves it whatever they are) may run a plan
 * made once per connection instead, from its driver's first few uses of it on.
 */
public interface PlanModeDao {
    /** From now until the transaction ends, a prepared statement runs the plan made once for any values. */
    @SqlQuery("select set_config('plan_cache_mode', 'force_generic_plan', true)")
    String planOnceForAnyValues();

    /**
     * From now until the transaction ends, no statement is planned with parallel workers: for work
     * beside ingest on a busy machine (retention), where starting workers costs more than it gains
     * and takes cores from the requests.
     */
    @SqlQuery("select set_config('max_parallel_workers_per_gather', '0', true)")
    String withoutParallelWorkers();

    /** From now until the transaction ends, statements are planned as the connection's settings say. */
    @SqlQuery("select set_config('plan_cache_mode', reset_val, true) from pg_settings where name = 'plan_cache_mode'")
    String planAsConfigured();
}
