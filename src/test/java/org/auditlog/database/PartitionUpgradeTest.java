package org.auditlog.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Counter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.auditlog.access.Caller;
import org.auditlog.access.Role;
import org.auditlog.common.Timestamps;
import org.auditlog.event.Actor;
import org.auditlog.event.EventDraft;
import org.auditlog.event.Outcome;
import org.auditlog.event.Resource;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.integrity.ChainVerifier;
import org.auditlog.integrity.CheckpointFolder;
import org.auditlog.integrity.CheckpointPublisher;
import org.auditlog.integrity.CheckpointService;
import org.auditlog.integrity.EventHasher;
import org.auditlog.integrity.RetentionReceipts;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.query.CursorCodec;
import org.auditlog.query.QueryService;
import org.auditlog.query.SearchRequest;
import org.auditlog.query.StatsRequest;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A deployment of the release before time partitions, with events, idempotency keys, checkpoints, and
 * retention's receipts, links and anchor, upgraded in place: its table becomes the history partition
 * of the partitioned one, attached and not rewritten (same file on disk), every query and statistic
 * answers as before, every chain verifies as before, and ingest goes on: the idempotency key of an
 * event stored before the upgrade still answers that event, seqs go on without a gap, and events
 * received past the history partition go to partitions created ahead or on the spot.
 */
class PartitionUpgradeTest {
    private static final String PURPOSE = "partitionupgrade";
    private static final List<String> QUERIES = List.of("limit=100", "limit=7", "actorId=alice", "action=doc.view",
            "action=doc.*", "category=auth", "resourceType=document&resourceId=d-3", "outcome=failure",
            "meta.team=blue", "order=asc&limit=5", "from=" + Timestamps.format(Instant.now().minus(Duration.ofDays(20))));

    @AfterAll
    static void drop() {
        TestDatabase.get().dropScratch(PURPOSE);
    }

    @Test
    void theTableBecomesItsFirstPartitionAndEverythingAnswersAsBefore() throws Exception {
        Jdbi jdbi = TestDatabase.get().scratchAsReleasedBefore(PURPOSE, "migrations-before-partitions.xml");
        DatabaseConfiguration database = TestDatabase.owner(TestDatabase.get().scratchUrl(PURPOSE));
        EventHasher hasher = new EventHasher(TestApp.JSON);
        // the previous release's table has no partitions to make
        var writer = new ChainWriter(jdbi, hasher, PartitionCover.EXISTING);
        var keys = SigningKeys.load("", Files.createTempDirectory("upgrade-keys"), jdbi);
        // acme: five events past the default policy first (a prefix that folds into the anchor), then
        // logins past their category's 30 days between kept events (links), the rest kept
        List<EventDraft> acme = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            acme.add(draft("doc.view", "general", 400, "alice", "old-" + i));
        }
        for (int i = 0; i < 40; i++) {
            acme.add(i % 3 == 0 ? draft("user.login", "auth", 100, "bob", null)
                    : draft(i % 2 == 0 ? "doc.view" : "doc.edit", "general", 40 - i, i % 4 == 0 ? "alice" : "carol",
                    "k-" + i));
        }
        writer.append("acme", acme);
        writer.append("beta", List.of(draft("doc.view", "general", 1, "dave", "b-1"),
                draft("doc.edit", "general", 0, "dave", null)));
        // retention as the previous release ran it: the doomed events, a signed receipt of their ranges,
        // and one call of the database's retention function (the runner of this release reads columns
        // and tables the previous schema lacks)
        List<RetentionReceipts.Deleted> doomed = jdbi.withHandle(h -> h.createQuery("select seq, prev_hash, hash "
                + "from audit_events where tenant = 'acme' and (occurred_at < now() - interval '365 days' "
                + "or (category = 'auth' and occurred_at < now() - interval '30 days')) order by seq")
                .map((rs, ctx) -> new RetentionReceipts.Deleted(rs.getLong(1), rs.getBytes(2), rs.getBytes(3))).list());
        assertThat(doomed).hasSize(5 + 14);
        UUID receiptId = UUID.randomUUID();
        UUID runId = UUID.randomUUID();
        var ranges = RetentionReceipts.ranges(doomed);
        var signed = keys.sign(keyId -> RetentionReceipts.statement(receiptId, "acme", runId, Timestamps.now(),
                new RetentionReceipts.Policy("auth", 30, Timestamps.now()), ranges, keyId));
        // the previous release's call, without the times of receipt this release passes
        int deleted = jdbi.withHandle(h -> h.createQuery("select audit_retention_delete(:tenant, :seqs, :receiptId, "
                        + ":runId, :statement, :keyId, :signature)")
                .bind("tenant", "acme").bind("seqs", doomed.stream().mapToLong(RetentionReceipts.Deleted::seq).toArray())
                .bind("receiptId", receiptId).bind("runId", runId).bind("statement", signed.statementText())
                .bind("keyId", signed.keyId()).bind("signature", signed.signature()).mapTo(Integer.class).one());
        assertThat(deleted).isEqualTo(5 + 14);
        var folder = new CheckpointFolder(Files.createTempDirectory("upgrade-checkpoints"), TestApp.JSON);
        new CheckpointService(jdbi, keys, new CheckpointPublisher(folder, Optional.empty(), new Counter())).checkpointAll();
        assertThat(count(jdbi, "select count(*) from chain_links where tenant = 'acme'")).isPositive();
        assertThat(count(jdbi, "select count(*) from chain_anchors where tenant = 'acme'")).isEqualTo(1);
        assertThat(count(jdbi, "select count(*) from checkpoints")).isPositive();

        var verifier = new ChainVerifier(jdbi, hasher, keys::trusted);
        Map<String, String> before = answers(jdbi, verifier);
        long file = count(jdbi, "select pg_relation_filenode('audit_events')");
        long events = count(jdbi, "select count(*) from audit_events");

        Database.migrate(database);

        assertThat(text(jdbi, "select relkind::text from pg_class where oid = 'audit_events'::regclass")).isEqualTo("p");
        assertThat(text(jdbi, "select string_agg(name, ',') from audit_event_partitions")).isEqualTo("audit_events_history");
        assertThat(count(jdbi, "select pg_relation_filenode('audit_events_history')")).as("not rewritten").isEqualTo(file);
        assertThat(count(jdbi, "select count(*) from audit_events")).isEqualTo(events);
        Map<String, String> after = answers(jdbi, verifier);
        before.forEach((asked, answer) -> assertThat(after.get(asked)).as(asked).isEqualTo(answer));
        assertThat(before.get("verify acme")).contains("ok=true");

        // ingest goes on: into the history partition until its bound, then into partitions made ahead,
        // and on the spot for a time none holds
        var partitions = new Partitions(jdbi, new StorageConfiguration());
        partitions.createAhead(Timestamps.now());
        assertThat(partitions.list()).hasSize(3);
        Instant bound = partitions.list().get(0).to();
        var upgraded = new ChainWriter(jdbi, hasher, partitions);
        long head = count(jdbi, "select last_seq from chain_heads where tenant = 'acme'");
        var replayed = upgraded.append("acme", List.of(draft("doc.edit", "general", 0, "carol", "k-1")));
        assertThat(replayed.get(0).duplicate()).isTrue();
        assertThat(replayed.get(0).event().seq()).isLessThan(head);
        var later = upgraded.append("acme", List.of(received(bound.plusSeconds(60), "n-1"),
                received(bound.plus(Duration.ofDays(400)), "n-2")));
        assertThat(later).extracting(a -> a.event().seq()).containsExactly(head + 1, head + 2);
        assertThat(text(jdbi, "select string_agg(tableoid::regclass::text, ',' order by seq) from audit_events "
                + "where tenant = 'acme' and seq > " + head)).doesNotContain("history");
        assertThat(partitions.list()).hasSize(4);
        assertThat(verifier.verify("acme", Optional.empty(), Optional.empty()).ok()).isTrue();
        // the append-only triggers reach every partition, old and new
        assertThat(refusal(jdbi, "delete from audit_events where tenant = 'acme'")).contains("retention");
        assertThat(refusal(jdbi, "update audit_events set action = 'x' where tenant = 'acme'")).contains("append-only");
        for (var partition : partitions.list()) {
            assertThat(refusal(jdbi, "truncate " + partition.name())).as(partition.name()).contains("refused");
        }
    }

    /** What the service answers of both tenants: queries, statistics and verification, keyed by what was asked. */
    private static Map<String, String> answers(Jdbi jdbi, ChainVerifier verifier) throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        var queries = new QueryService(jdbi, new CursorCodec(new byte[32]), new AuditTrail((tenant, drafts) -> List.of()),
                false);
        for (String tenant : List.of("acme", "beta")) {
            var requester = new Caller(UUID.randomUUID(), tenant, "upgrade", Set.of(Role.AUDITOR)).requester();
            for (String query : QUERIES) {
                var page = queries.search(requester, SearchRequest.parse(parameters(query)));
                answers.put(tenant + " " + query, TestApp.JSON.writeValueAsString(page.events()));
            }
            for (String groupBy : List.of("action", "actorId", "category", "outcome", "day")) {
                answers.put(tenant + " stats " + groupBy, TestApp.JSON.writeValueAsString(
                        queries.stats(requester, StatsRequest.parse(parameters("groupBy=" + groupBy)))));
            }
            var verified = verifier.verify(tenant, Optional.empty(), Optional.empty());
            answers.put("verify " + tenant, verified.toString().replaceAll("lastHash=\\[B@\\w+", "")
                    + java.util.HexFormat.of().formatHex(verified.lastHash()));
        }
        return answers;
    }

    private static Map<String, List<String>> parameters(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            String[] parts = pair.split("=", 2);
            parameters.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts[1]);
        }
        return parameters;
    }

    private static EventDraft draft(String action, String category, int daysAgo, String actor, String key) {
        Instant now = Timestamps.now();
        return new EventDraft(action, new Actor(actor, "user", null, null), now.minus(Duration.ofDays(daysAgo)), now,
                category, action.equals("user.login") && daysAgo % 2 == 0 ? Outcome.FAILURE : Outcome.SUCCESS,
                Optional.of(new Resource("document", "d-" + (daysAgo % 5), null)), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(),
                Optional.of(TestApp.JSON.createObjectNode().put("team", daysAgo % 2 == 0 ? "blue" : "red")),
                Optional.ofNullable(key));
    }

    private static EventDraft received(Instant at, String key) {
        return new EventDraft("doc.view", new Actor("erin", "user", null, null), at, at, "general", Outcome.SUCCESS,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(key));
    }

    /** Why the database refused the statement. */
    private static String refusal(Jdbi jdbi, String sql) {
        try {
            jdbi.useHandle(h -> h.execute(sql));
            return "not refused";
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static long count(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    private static String text(Jdbi jdbi, String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
    }
}
