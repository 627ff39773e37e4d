package org.auditlog.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.jackson.Jackson;
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
        String tenant = TestApp.newTenant("round-trips");
        List<EventDraft> drafts = new ArrayList<>();
        var now = Timestamps.now();
        for (int i = 0; i < 1000; i++) {
            drafts.add(new EventDraft("bulk.write", new Actor("a" + i, "user", null, null), now, now, "general",
                    Outcome.SUCCESS, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.of("key-" + i)));
        }
        List<Appended> appended = writer.append(tenant, drafts);

        assertThat(appended).hasSize(1000);
        assertThat(appended.get(999).event().seq()).isEqualTo(1000);
        // lock head (absent), create head, lock head, idempotency lookup, one batch insert, move head
        assertThat(statements.get()).isLessThanOrEqualTo(6);
        assertThat(TestApp.count(tenant)).isEqualTo(1000);
    }
}
