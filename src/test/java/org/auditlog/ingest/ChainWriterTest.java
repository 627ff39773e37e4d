package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.jackson.Jackson;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.event.Actor;
import org.auditlog.event.EventDraft;
import org.auditlog.event.Outcome;
import org.auditlog.integrity.EventHasher;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.auditlog.trail.Appended;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;

class ChainWriterTest {
    @Test
    void writesAThousandEventsWithAHandfulOfStatementsInOneTransaction() {
        TestApp.get();
        AtomicInteger statements = new AtomicInteger();
        Jdbi jdbi = Database.configure(Jdbi.create(TestDatabase.get().url(), "postgres", ""));
        jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class).setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                statements.incrementAndGet();
            }

            @Override
            public void logException(StatementContext context, SQLException ex) {
                statements.incrementAndGet();
            }
        });
        var writer = new ChainWriter(jdbi, new EventHasher(Jackson.newObjectMapper()));
        // the first append of a writer reads which partitions exist; the rest know
        writer.append(TestApp.newTenant("warm-up"), drafts("warm-up", 1));
        statements.set(0);
        String tenant = TestApp.newTenant("round-trips");
        List<Appended> appended = writer.append(tenant, drafts("round-trip", 1000));

        assertThat(appended).hasSize(1000);
        assertThat(appended.get(999).event().seq()).isEqualTo(1000);
        // lock head (absent), create head, lock head, idempotency lookup, one batch insert, move head
        assertThat(statements.get()).isLessThanOrEqualTo(6);
        assertThat(TestApp.count(tenant)).isEqualTo(1000);
    }

    /**
     * Rows go to {@code COPY} in chunks while the writer chains the next ones. A row refused in the
     * middle (here a seq taken by a row put there behind the service's back, in the third or fourth
     * chunk) must leave nothing of the commit stored, the head where it was, and the connection,
     * on which the {@code COPY} was cut off, fit for the next append.
     */
    @Test
    void aCopyRefusedMidwayStoresNothingAndLeavesItsConnectionUsable() throws Exception {
        TestApp.get();
        try (Connection connection = TestDatabase.get().connect()) {
            var writer = new ChainWriter(Database.configure(Jdbi.create(connection)), new EventHasher(Jackson.newObjectMapper()));
            String tenant = TestApp.newTenant("copy-refused");
            writer.append(tenant, drafts("first", 10));
            TestApp.tamper("insert into audit_events select tenant, seq + 500, gen_random_uuid(), occurred_at, received_at, "
                    + "category, action, outcome, actor_id, actor_type, actor_name, actor_email, resource_type, resource_id, "
                    + "resource_name, source_ip, user_agent, request_id, reason, changes, metadata, null, prev_hash, hash "
                    + "from audit_events where tenant = '" + tenant + "' and seq = 10");

            assertThatThrownBy(() -> writer.append(tenant, drafts("refused", 1000)))
                    .hasStackTraceContaining("duplicate key value violates unique constraint");

            assertThat(TestApp.count(tenant)).isEqualTo(11);
            assertThat(TestApp.rows("select last_seq from chain_heads where tenant = ?", tenant))
                    .extracting(r -> ((Number) r.get("last_seq")).longValue()).containsExactly(10L);
            String other = TestApp.newTenant("after-refused");
            assertThat(writer.append(other, drafts("after", 1000))).hasSize(1000);
            assertThat(TestApp.count(other)).isEqualTo(1000);
        }
    }

    private static List<EventDraft> drafts(String prefix, int count) {
        List<EventDraft> drafts = new ArrayList<>();
        var now = Timestamps.now();
        for (int i = 0; i < count; i++) {
            drafts.add(new EventDraft("bulk.write", new Actor(prefix + "-" + i, "user", "A person of some name", null), now,
                    now, "general", Outcome.SUCCESS, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of(prefix + "-key-" + i)));
        }
        return drafts;
    }
}
