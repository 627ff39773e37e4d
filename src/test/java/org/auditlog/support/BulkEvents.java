package org.auditlog.support;

/**
 * Loads many old events straight into the table: category {@code bulk}, 400 days old, spread over
 * the actors {@code a0} to {@code a99}. Their hashes are filler: for tests of which rows a run deletes,
 * not of the chain.
 */
public final class BulkEvents {
    private BulkEvents() {
    }

    public static void load(String tenant, int count) {
        TestApp.tamper(statements(tenant, count));
    }

    /** The same on another database of the run, such as a scratch one a service process uses. */
    public static void load(String databaseUrl, String tenant, int count) {
        TestApp.tamperAt(databaseUrl, statements(tenant, count));
    }

    private static String[] statements(String tenant, int count) {
        return new String[] {"select audit_events_partition_for(now() - interval '400 days', 'month')",
                "insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome, "
                        + "actor_id, actor_type, prev_hash, hash) select '" + tenant + "', i, gen_random_uuid(), "
                        + "now() - interval '400 days', now() - interval '400 days', 'bulk', 'bulk.old', 'success', "
                        + "'a' || (i % 100), 'user', decode(md5(i::text) || md5(i::text), 'hex'), "
                        + "decode(md5((i + 1)::text) || md5((i + 1)::text), 'hex') from generate_series(1, " + count + ") i",
                "insert into chain_heads (tenant, last_seq, last_hash) values ('" + tenant + "', " + count + ", "
                        + "decode(md5('" + (count + 1) + "') || md5('" + (count + 1) + "'), 'hex'))"};
    }
}
