package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;
import org.auditlog.filter.FilterParser;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A deployment upgraded from a release that stored holds and waiting exports with dates the API no
 * longer takes: the migration brings them to the nearest bound, so they read back and match the
 * same events, and a finished export's record is left as it was.
 */
class StoredFilterDatesMigrationTest {
    private static final String PURPOSE = "filterdates";

    @AfterAll
    static void drop() {
        TestDatabase.get().dropScratch(PURPOSE);
    }

    @Test
    void holdsAndWaitingExportsWithDatesOutOfRangeReadBackAfterTheUpgrade() throws Exception {
        Jdbi jdbi = TestDatabase.get().migratedScratch(PURPOSE);
        UUID hold = UUID.randomUUID();
        UUID usual = UUID.randomUUID();
        UUID queued = UUID.randomUUID();
        UUID done = UUID.randomUUID();
        jdbi.useHandle(handle -> {
            // as the release before this migration left them
            handle.execute("delete from databasechangelog where filename = 'migrations/010-stored-filter-dates-in-range.xml'");
            handle.execute("insert into legal_holds (id, tenant, name, filters, created_at, created_by) values "
                    + "(?, 'acme', 'far', '{\"actorId\": \"alice\", \"from\": \"-4713-01-01T00:00:00Z\", \"to\": \"+10000-01-01T00:00:00Z\"}', now(), 'key:x'), "
                    + "(?, 'acme', 'usual', '{\"from\": \"2026-01-01T00:00:00Z\"}', now(), 'key:x')", hold, usual);
            handle.execute("insert into exports (id, tenant, format, filters, status, created_by, created_at) values "
                    + "(?, 'acme', 'csv', '{\"from\": \"0000-06-01T00:00:00Z\", \"to\": \"+300000-01-01T00:00:00Z\"}', 'queued', 'key:x', now()), "
                    + "(?, 'acme', 'csv', '{\"to\": \"+300000-01-01T00:00:00Z\"}', 'done', 'key:x', now())", queued, done);
        });
        Database.migrate(TestDatabase.owner(TestDatabase.get().scratchUrl(PURPOSE)));

        JsonNode far = filters(jdbi, "select filters::text from legal_holds where id = ?", hold);
        assertThat(far.get("from").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(far.get("to").asText()).isEqualTo("9999-12-31T23:59:59.999Z");
        assertThat(far.get("actorId").asText()).isEqualTo("alice");
        assertThat(FilterParser.parseObject(far, "filters").describe().get("actorId").asText()).isEqualTo("alice");
        assertThat(filters(jdbi, "select filters::text from legal_holds where id = ?", usual).get("from").asText())
                .isEqualTo("2026-01-01T00:00:00Z");
        JsonNode waiting = filters(jdbi, "select filters::text from exports where id = ?", queued);
        assertThat(waiting.get("from").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(waiting.get("to").asText()).isEqualTo("9999-12-31T23:59:59.999Z");
        FilterParser.parseObject(waiting, "filters");
        assertThat(filters(jdbi, "select filters::text from exports where id = ?", done).get("to").asText())
                .isEqualTo("+300000-01-01T00:00:00Z");
    }

    private static JsonNode filters(Jdbi jdbi, String sql, UUID id) throws Exception {
        String text = jdbi.withHandle(handle -> handle.createQuery(sql).bind(0, id).mapTo(String.class).one());
        return TestApp.JSON.readTree(text);
    }
}
