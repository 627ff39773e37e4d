package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.auditlog.database.Database;
import org.auditlog.database.DatabaseConfiguration;
import org.auditlog.event.EventDraft;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A deployment that ran retention before receipts existed: the upgrade records what its links and
 * anchor stand for, the next start signs that into receipts, and the chain still verifies. What the
 * old retention could not have left (a link added after the upgrade) is still a break.
 */
class LegacyReceiptsTest {
    private static final String PURPOSE = "legacyreceipts";

    @AfterAll
    static void drop() {
        TestDatabase.get().dropScratch(PURPOSE);
    }

    @Test
    void anUpgradedDeploymentThatRanRetentionStillVerifies() throws Exception {
        // the release before: its schema, events, and a retention run the way it deleted
        Jdbi jdbi = TestDatabase.get().scratchAsReleasedBefore(PURPOSE, "migrations-before-receipts.xml");
        String url = TestDatabase.get().scratchUrl(PURPOSE);
        DatabaseConfiguration database = TestDatabase.owner(url);
        var writer = new ChainWriter(jdbi, new EventHasher(TestApp.JSON), org.auditlog.database.PartitionCover.EXISTING);
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            drafts.add(TestApp.draft("doc.e" + i, "general", 10));
        }
        writer.append("acme", drafts);
        writer.append("other", drafts.subList(0, 3));
        // acme: 1..3 deleted and folded into the anchor, 5 and 7 deleted between kept events
        jdbi.useTransaction(handle -> {
            handle.execute("select set_config('audit.retention', 'on', true)");
            handle.execute("insert into chain_links select tenant, seq, prev_hash, hash from audit_events "
                    + "where tenant = 'acme' and seq in (1, 2, 3, 5, 7)");
            handle.execute("delete from audit_events where tenant = 'acme' and seq in (1, 2, 3, 5, 7)");
            handle.execute("insert into chain_anchors select tenant, seq, hash, now() from chain_links "
                    + "where tenant = 'acme' and seq = 3");
            handle.execute("delete from chain_links where tenant = 'acme' and seq <= 3");
        });

        Database.migrate(database);
        var keys = SigningKeys.load("", Files.createTempDirectory("legacy-keys"), jdbi);
        var verifier = new ChainVerifier(jdbi, new EventHasher(TestApp.JSON), keys::trusted);
        var before = verifier.verify("acme", Optional.empty(), Optional.empty());
        assertThat(before.ok()).as("without receipts the deletions are unexplained").isFalse();

        assertThat(LegacyReceipts.issue(jdbi, keys)).isEqualTo(1);
        var after = verifier.verify("acme", Optional.empty(), Optional.empty());
        assertThat(after.ok()).as(after.toString()).isTrue();
        assertThat(after.fromSeq()).isEqualTo(4);
        assertThat(verifier.verify("other", Optional.empty(), Optional.empty()).ok()).isTrue();
        String statement = jdbi.withHandle(h -> h.createQuery("select statement from retention_receipts "
                + "where tenant = 'acme'").mapTo(String.class).one());
        assertThat(statement).contains("\"legacy\":true", "\"fromSeq\":1", "\"toSeq\":3", "\"fromSeq\":5",
                "\"fromSeq\":7");
        // issued once: the backlog is gone, and a second start issues nothing
        assertThat(LegacyReceipts.issue(jdbi, keys)).isZero();

        // a link the old release could not have left, added after the upgrade, is not covered
        TestApp.tamperAt(url, "insert into chain_links select tenant, seq, prev_hash, hash from audit_events "
                + "where tenant = 'acme' and seq = 8", "delete from audit_events where tenant = 'acme' and seq = 8");
        var forged = verifier.verify("acme", Optional.empty(), Optional.empty());
        assertThat(forged.ok()).isFalse();
        assertThat(forged.firstBrokenSeq()).isEqualTo(8);
    }
}
