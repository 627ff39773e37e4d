package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Retention leaves a signed receipt of what it deleted; a missing event is accepted only where one
 * covers it. Tried as someone who can write to the database would.
 */
class RetentionReceiptsTest {
    private static final TestApp APP = TestApp.get();

    /** A tenant whose retention run deleted old auth events between young ones, and a deleted prefix. */
    private record Retained(String tenant, String key) {
        static Retained create(String hint) {
            String tenant = TestApp.newTenant(hint);
            String key = APP.createKey(tenant, "admin");
            var reply = APP.send(APP.request("/api/v1/retention/policies/auth", key)
                    .header("Content-Type", "application/json")
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"retainDays\": 30}")));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            var retained = new Retained(tenant, key);
            for (int i = 0; i < 6; i++) {
                retained.ingest("auth.e" + i, "auth", 60);
                retained.ingest("general.e" + i, "general", 5);
            }
            var run = APP.send(APP.request("/api/v1/retention/runs", key)
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            assertThat(run.status()).as(run.toString()).isEqualTo(200);
            assertThat(run.json().get("deleted").asLong()).isEqualTo(6);
            return retained;
        }

        void ingest(String action, String category, int daysAgo) {
            Map<String, Object> event = new HashMap<>();
            event.put("action", action);
            event.put("actor", Map.of("id", "someone"));
            event.put("category", category);
            event.put("occurredAt", Instant.now().minus(daysAgo, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
            assertThat(APP.post("/api/v1/events", key, event).status()).isEqualTo(201);
        }

        JsonNode verify() {
            var reply = APP.get("/api/v1/integrity/verify", key);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            return reply.json();
        }

        long seqOf(String action) {
            return ((Number) TestApp.rows("select seq from audit_events where tenant = ? and action = ?", tenant, action)
                    .get(0).get("seq")).longValue();
        }

        String where() {
            return " where tenant = '" + tenant + "'";
        }
    }

    @Test
    void eachDeletingBatchLeavesAReceiptSignedByTheServicesKeyAndTheChainVerifies() throws Exception {
        var t = Retained.create("receipt");
        var receipts = TestApp.rows("select statement, key_id, signature from retention_receipts where tenant = ?", t.tenant());
        assertThat(receipts).hasSize(1);
        JsonNode statement = TestApp.JSON.readTree((String) receipts.get(0).get("statement"));
        assertThat(statement.get("type").asText()).isEqualTo("retention-receipt");
        assertThat(statement.get("policy").get("category").asText()).isEqualTo("auth");
        assertThat(statement.get("policy").get("retainDays").asInt()).isEqualTo(30);
        assertThat(statement.get("ranges")).hasSize(6);
        // the statement is stored as signed: its JCS form, verifiable with the published key alone
        var keys = TrustedKeys.fromFolder(APP.dataDir().resolve("keys"));
        assertThat(keys.problem((String) receipts.get(0).get("key_id"),
                ((String) receipts.get(0).get("statement")).getBytes(StandardCharsets.UTF_8),
                (byte[]) receipts.get(0).get("signature"))).isNull();
        JsonNode result = t.verify();
        assertThat(result.get("ok").asBoolean()).as(result.toString()).isTrue();
    }

    @Test
    void anEventDeletedOutsideRetentionWithALinkPutInItsPlaceIsABreak() throws Exception {
        var t = Retained.create("forged-link");
        long seq = t.seqOf("general.e3");
        // the owner's own session, allowed by the old trigger: set the flag, delete, forge the link
        try (Connection c = TestDatabase.get().connect(); var s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("select set_config('audit.retention', 'on', true)");
            s.execute("insert into chain_links (tenant, seq, prev_hash, hash) select tenant, seq, prev_hash, hash "
                    + "from audit_events" + t.where() + " and seq = " + seq);
            s.execute("delete from audit_events" + t.where() + " and seq = " + seq);
            c.commit();
        }
        JsonNode result = t.verify();
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("firstBrokenSeq").asLong()).isEqualTo(seq);
        assertThat(result.get("reason").asText()).contains("no signed retention receipt covers it");
    }

    @Test
    void anEditedReceiptIsABreakAtTheSeqItClaims() {
        var t = Retained.create("edited-receipt");
        long first = t.seqOf("general.e0") - 1;
        TestApp.tamper("update retention_receipts set statement = replace(statement, '\"retainDays\":30', "
                + "'\"retainDays\":3')" + t.where());
        JsonNode result = t.verify();
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("reason").asText()).contains("retention receipt", "signature does not verify");
        assertThat(result.get("firstBrokenSeq").asLong()).isLessThanOrEqualTo(first + 1);
    }

    @Test
    void anAnchorMovedPastKeptEventsIsABreak() {
        var t = Retained.create("moved-anchor");
        // the prefix (the key's creation and the first auth event) is not deleted: only auth events are
        long target = t.seqOf("general.e2");
        TestApp.tamper("insert into chain_anchors (tenant, seq, hash, updated_at) select tenant, seq, hash, now() "
                        + "from audit_events" + t.where() + " and seq = " + target
                        + " on conflict (tenant) do update set seq = excluded.seq, hash = excluded.hash",
                "delete from audit_events" + t.where() + " and seq <= " + target,
                "delete from chain_links" + t.where() + " and seq <= " + target);
        JsonNode result = t.verify();
        assertThat(result.get("ok").asBoolean()).isFalse();
        assertThat(result.get("reason").asText()).contains("anchor");
        assertThat(result.get("firstBrokenSeq").asLong()).isLessThanOrEqualTo(target);
    }

    @Test
    void checkpointsReceiptsAndKeysAreAppendOnlyAndLinksChangeOnlyThroughRetention() throws Exception {
        var t = Retained.create("append-only");
        APP.task("checkpoint");
        refused("update checkpoints set seq = seq + 1" + t.where());
        refused("delete from checkpoints" + t.where());
        refused("truncate checkpoints");
        refused("update retention_receipts set key_id = 'x'" + t.where());
        refused("delete from retention_receipts" + t.where());
        refused("delete from signing_keys");
        refused("update signing_keys set public_key = '\\x00'");
        refused("insert into chain_links (tenant, seq, prev_hash, hash) values ('" + t.tenant() + "', 100000, '\\x00', '\\x00')");
        refused("delete from chain_links" + t.where());
        TestApp.tamper("insert into chain_anchors (tenant, seq, hash, updated_at) values ('" + t.tenant() + "', 1, '\\x00', now())");
        refused("update chain_anchors set seq = seq + 1" + t.where());
        refused("delete from chain_anchors" + t.where());
        TestApp.tamper("delete from chain_anchors" + t.where());
        refused("insert into chain_anchors (tenant, seq, hash, updated_at) values ('" + t.tenant() + "-x', 1, '\\x00', now())");
        // even with the flag set, a session that is not the retention function's owner may not
        for (String sql : new String[] {"delete from audit_events" + t.where(),
                "insert into chain_links (tenant, seq, prev_hash, hash) values ('x', 1, '\\x00', '\\x00')"}) {
            try (Connection c = TestDatabase.get().connect(); var s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("create role audit_test_nobody_" + Math.abs(sql.hashCode()));
                s.execute("grant all on all tables in schema public to audit_test_nobody_" + Math.abs(sql.hashCode()));
                s.execute("set local role audit_test_nobody_" + Math.abs(sql.hashCode()));
                s.execute("select set_config('audit.retention', 'on', true)");
                assertThatThrownBy(() -> s.execute(sql)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("only through retention");
                c.rollback();
            }
        }
        assertThat(t.verify().get("ok").asBoolean()).isTrue();
    }

    private static void refused(String sql) throws SQLException {
        try (Connection c = TestDatabase.get().connect(); var s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
        }
    }
}
