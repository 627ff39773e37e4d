package org.auditlog.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** The mapper reads by position, and refuses a statement whose columns are not in its order. */
class StoredEventMapperTest {
    private static final TestApp APP = TestApp.get();

    private static List<AuditEvent> select(String columns, String tenant) {
        return Jdbi.create(() -> TestDatabase.get().connect()).withHandle(handle -> handle
                .createQuery("select " + columns + " from audit_events where tenant = :tenant order by seq")
                .bind("tenant", tenant).map(new StoredEventMapper()).list());
    }

    @Test
    void readsTheColumnsItNames() {
        String tenant = TestApp.newTenant("mapper");
        APP.post("/api/v1/events", APP.createKey(tenant, "ingest"), Map.of("action", "mapped.event", "outcome", "denied",
                "actor", Map.of("id", "a1"), "metadata", Map.of("note", "ünïcode ✓")));
        assertThat(select(StoredEventMapper.COLUMNS + ", 1 as extra", tenant))
                .filteredOn(event -> event.action().equals("mapped.event")).singleElement().satisfies(event -> {
            assertThat(event.action()).isEqualTo("mapped.event");
            assertThat(event.outcomeValue()).isEqualTo(Outcome.DENIED);
            assertThat(event.actor().id()).isEqualTo("a1");
            assertThat(event.metadata().get("note").asText()).isEqualTo("ünïcode ✓");
            assertThat(event.tenant()).isEqualTo(tenant);
        });
    }

    @Test
    void refusesColumnsInAnotherOrder() {
        String swapped = StoredEventMapper.COLUMNS.replace("id, tenant, ", "tenant, id, ");
        assertThatThrownBy(() -> select(swapped, "nobody"))
                .hasStackTraceContaining("column 1 of a stored event is tenant, where StoredEventMapper.COLUMNS puts id");
        assertThatThrownBy(() -> select("id, tenant", "nobody"))
                .hasStackTraceContaining("column 3 of a stored event is nothing, where StoredEventMapper.COLUMNS puts seq");
    }
}
