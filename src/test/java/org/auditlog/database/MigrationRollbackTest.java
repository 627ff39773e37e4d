package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import io.dropwizard.migrations.CloseableLiquibaseWithClassPathMigrationsFile;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every changeset rolls back for real: the whole schema goes and comes back, and rolling back the
 * partitioning (018 on) gives the one table back with every event in it, its unique indexes and its
 * append-only triggers.
 */
class MigrationRollbackTest {
    private static final String PURPOSE = "rollback";
    private static final String APP_OBJECTS = "select (select count(*) from pg_class c where c.relnamespace = 'public'::regnamespace "
            + "and c.relname not like 'databasechangelog%') + (select count(*) from pg_proc where pronamespace = 'public'::regnamespace)";

    /** Another database of the server the service migrated: it grants the runtime role rights. */
    private static final String NEIGHBOUR = "rollback_neighbour";

    @AfterAll
    static void drop() {
        TestDatabase.get().dropScratch(PURPOSE);
        TestDatabase.get().dropScratch(NEIGHBOUR);
    }

    @Test
    void theSchemaRollsBackWholeAndAgainAndThePartitioningRollsBackWithEveryEvent() throws Exception {
        TestDatabase.get().migratedScratch(NEIGHBOUR);
        Jdbi jdbi = TestDatabase.get().migratedScratch(PURPOSE);
        String url = TestDatabase.get().scratchUrl(PURPOSE);
        long changesets = jdbi.withHandle(h -> h.select("select count(*) from databasechangelog").mapTo(Long.class).one());
        jdbi.useHandle(h -> {
            h.execute("select audit_events_partition_for(now(), 'month')");
            h.execute("insert into audit_events (tenant, seq, id, occurred_at, received_at, category, action, outcome, "
                    + "actor_id, actor_type, idempotency_key, prev_hash, hash) select 'acme', i, gen_random_uuid(), now(), now(), 'auth', "
                    + "'user.login', 'success', 'alice', 'user', 'key-' || i, decode(repeat('00', 32), 'hex'), "
                    + "decode(repeat('11', 32), 'hex') from generate_series(1, 3) i");
        });

        long sincePartitions = jdbi.withHandle(h -> h.select("select count(*) from databasechangelog where orderexecuted >= "
                + "(select min(orderexecuted) from databasechangelog where filename = 'migrations/018-partitions.xml')")
                .mapTo(Long.class).one());
        rollback(url, (int) sincePartitions);
        assertThat(relkind(jdbi, "audit_events")).isEqualTo("r");
        assertThat(count(jdbi, "select count(*) from audit_events where tenant = 'acme'")).isEqualTo(3);
        assertThat(count(jdbi, "select count(*) from pg_indexes where tablename = 'audit_events' "
                + "and indexname in ('audit_events_id', 'audit_events_idempotency') and indexdef like 'CREATE UNIQUE%'")).isEqualTo(2);
        assertThat(count(jdbi, "select count(*) from pg_class where relname ~ '^audit_events_p[0-9]' or relname = 'audit_events_history'"))
                .isZero();
        assertThatThrownBy(() -> jdbi.useHandle(h -> h.execute("update audit_events set action = 'x.y' where tenant = 'acme'")))
                .hasMessageContaining("append-only");

        Database.migrate(TestDatabase.owner(url));
        assertThat(relkind(jdbi, "audit_events")).isEqualTo("p");
        assertThat(count(jdbi, "select count(*) from audit_events_history where tenant = 'acme'")).isEqualTo(3);
        assertThat(count(jdbi, "select count(*) from databasechangelog")).isEqualTo(changesets);

        rollback(url, (int) changesets);
        assertThat(count(jdbi, APP_OBJECTS)).as("tables, views, indexes, sequences and functions left").isZero();
        assertThat(count(jdbi, "select count(*) from databasechangelog")).isZero();
        // the neighbour still grants it rights, so it is kept
        assertThat(count(jdbi, "select count(*) from pg_roles where rolname = 'audit_runtime'")).isEqualTo(1);

        Database.migrate(TestDatabase.owner(url));
        assertThat(count(jdbi, "select count(*) from databasechangelog")).isEqualTo(changesets);
        assertThat(relkind(jdbi, "audit_events")).isEqualTo("p");
    }

    private static void rollback(String url, int changesets) throws Exception {
        try (var liquibase = new CloseableLiquibaseWithClassPathMigrationsFile(
                TestDatabase.owner(url).build(new MetricRegistry(), "rollback"), Database.MIGRATIONS)) {
            liquibase.rollback(changesets, "");
        }
    }

    private static String relkind(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.select("select relkind::text from pg_class where oid = to_regclass(?)", table)
                .mapTo(String.class).one());
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.select(sql).mapTo(Long.class).one());
    }
}
