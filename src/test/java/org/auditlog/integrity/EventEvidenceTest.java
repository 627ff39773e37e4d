package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.Counter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.auditlog.access.Requester;
import org.auditlog.common.Rejection;
import org.auditlog.common.TenantConcurrency;
import org.auditlog.common.Timestamps;
import org.auditlog.event.Actor;
import org.auditlog.event.AuditEvent;
import org.auditlog.ingest.ChainWriter;
import org.auditlog.support.TestApp;
import org.auditlog.support.TestDatabase;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evidence behind an event's badge in the officers' console: green only when the chain from the
 * event verifies up to a checkpoint the service's key signed; red for an edited row, a rewritten
 * chain or a forged checkpoint; grey while no checkpoint covers the event. On a scratch database of
 * its own, so that no scheduled checkpoint comes in between.
 */
class EventEvidenceTest {
    private static final HexFormat HEX = HexFormat.of();
    private static String url;
    private static Jdbi jdbi;
    private static SigningKeys keys;
    private static ChainVerifier verifier;
    private static CheckpointService checkpoints;
    private static IntegrityService integrity;
    private static ChainWriter writer;

    @BeforeAll
    static void scratchDatabase() throws Exception {
        String purpose = "evidence" + UUID.randomUUID().toString().substring(0, 8);
        jdbi = TestDatabase.get().migratedScratch(purpose);
        url = TestDatabase.get().url() + "_" + purpose;
        Path dataDir = Files.createTempDirectory("event-evidence");
        keys = SigningKeys.load("", dataDir, jdbi);
        writer = new ChainWriter(jdbi, new EventHasher(TestApp.JSON));
        verifier = new ChainVerifier(jdbi, new EventHasher(TestApp.JSON), keys::trusted);
        checkpoints = new CheckpointService(jdbi, keys, new CheckpointPublisher(
                new CheckpointFolder(dataDir.resolve("checkpoints"), TestApp.JSON), Optional.empty(), new Counter()));
        integrity = new IntegrityService(verifier, checkpoints, keys, new AuditTrail(writer),
                new TenantConcurrency("verifications", "concurrentVerifications", 1, Duration.ofSeconds(1)));
    }

    /** A tenant whose key is seq 1, with events 2 to 6 signed by a checkpoint at seq 6, and events 7 and 8 after it. */
    private static String chain(String hint) {
        String tenant = TestApp.newTenant(hint);
        TestApp.createKey(jdbi, tenant, "auditor");
        append(tenant, 5);
        assertThat(checkpoints.checkpoint(tenant).orElseThrow().seq()).isEqualTo(6);
        append(tenant, 2);
        return tenant;
    }

    private static void append(String tenant, int events) {
        writer.append(tenant, IntStream.range(0, events).mapToObj(i -> TestApp.draft("doc.view", "general", 0)).toList());
    }

    private static EventEvidence evidence(String tenant, long seq) {
        return integrity.evidence(new Requester(tenant, new Actor("officer", "user", null, null), "key:test"), seq);
    }

    private static String where(String tenant, long seq) {
        return " where tenant = '" + tenant + "' and seq = " + seq;
    }

    private static String bytea(byte[] bytes) {
        return "'\\x" + HEX.formatHex(bytes) + "'";
    }

    private static long stored(String tenant) {
        return TestDatabase.count(url, "select count(*) from audit_events where tenant = '" + tenant + "'");
    }

    /**
     * What someone who can write to the database does to change an event unnoticed by its links:
     * changes seq {@code seq} and recomputes every hash after it up to the head (8). Answers the head's new hash.
     */
    private static byte[] rewriteFrom(String tenant, long seq) {
        TestApp.tamperAt(url, "update audit_events set actor_id = 'mallory'" + where(tenant, seq));
        var hasher = new EventHasher(TestApp.JSON);
        byte[] hash = null;
        for (long at = seq; at <= 8; at++) {
            long current = at;
            AuditEvent event = jdbi.inTransaction(h -> h.attach(VerificationDao.class).events(tenant, current, current).one());
            hash = hasher.hash(event);
            TestApp.tamperAt(url, "update audit_events set hash = " + bytea(hash) + where(tenant, at),
                    "update audit_events set prev_hash = " + bytea(hash) + where(tenant, at + 1));
        }
        TestApp.tamperAt(url, "update chain_heads set last_hash = " + bytea(hash) + " where tenant = '" + tenant + "'");
        return hash;
    }

    private static byte[] sign(KeyPair pair, byte[] statement) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(statement);
        return signer.sign();
    }

    /** Red, at {@code seq}, for a reason saying each of {@code reason}, and no checkpoint vouching for it. */
    private static void assertBroken(EventEvidence evidence, long seq, String... reason) {
        assertThat(evidence.state()).as(evidence.toString()).isEqualTo(EventEvidence.State.BROKEN);
        assertThat(evidence.firstBrokenSeq()).isEqualTo(seq);
        assertThat(evidence.reason()).contains(reason);
        assertThat(evidence.checkpointKeyId()).isNull();
    }

    @Test
    void anEventUpToASignedCheckpointIsVerifiedWithThatCheckpointAndNothingIsRecorded() {
        String tenant = chain("evidence-verified");
        Checkpoint signed = checkpoints.newest(tenant, 1).get(0);
        long before = stored(tenant);

        EventEvidence evidence = evidence(tenant, 3);
        assertThat(evidence.state()).isEqualTo(EventEvidence.State.VERIFIED);
        assertThat(evidence.seq()).isEqualTo(3);
        assertThat(evidence.checked()).isEqualTo(4);
        assertThat(evidence.checkpointSeq()).isEqualTo(6);
        assertThat(evidence.checkpointKeyId()).isEqualTo(keys.keyId()).isEqualTo(signed.keyId());
        assertThat(evidence.checkpointSignedAt()).isEqualTo(signed.signedAt());
        assertThat(evidence.checkpointTime()).isEqualTo(signed.time());
        assertThat(evidence.firstBrokenSeq()).isNull();
        assertThat(evidence.reason()).isNull();
        // the checkpoint's own event, and the first one of the chain
        assertThat(evidence(tenant, 6).state()).isEqualTo(EventEvidence.State.VERIFIED);
        assertThat(evidence(tenant, 6).checked()).isEqualTo(1);
        assertThat(evidence(tenant, 1).checked()).isEqualTo(6);
        // a read the caller records, not this method
        assertThat(stored(tenant)).isEqualTo(before);
    }

    @Test
    void anEventNoCheckpointCoversYetIsPending() {
        String tenant = chain("evidence-pending");
        EventEvidence evidence = evidence(tenant, 7);
        assertThat(evidence.state()).isEqualTo(EventEvidence.State.PENDING);
        assertThat(evidence.checked()).isEqualTo(2);
        assertThat(evidence.checkpointSeq()).isNull();
        assertThat(evidence.checkpointKeyId()).isNull();
        assertThat(evidence.reason()).contains("no signed checkpoint");

        checkpoints.checkpoint(tenant);
        assertThat(evidence(tenant, 7).state()).isEqualTo(EventEvidence.State.VERIFIED);
        assertThat(evidence(tenant, 7).checkpointSeq()).isEqualTo(8);
    }

    @Test
    void anEditedRowIsBrokenAtItsSeqForItAndTheEventsBeforeIt() {
        String tenant = chain("evidence-edited");
        TestApp.tamperAt(url, "update audit_events set actor_id = 'mallory'" + where(tenant, 4));
        assertBroken(evidence(tenant, 4), 4, "hash does not match");
        // the earlier event's checkpoint is reached through the edited one
        assertBroken(evidence(tenant, 2), 4, "hash does not match");
        // a pending event after the edit still verifies as far as it goes
        assertThat(evidence(tenant, 7).state()).isEqualTo(EventEvidence.State.PENDING);
    }

    @Test
    void anEditedRowWhoseFollowingHashesWereRecomputedIsBrokenAtTheCheckpoint() {
        String tenant = chain("evidence-rewritten");
        rewriteFrom(tenant, 3);
        // every link holds now: only the signed hash gives the rewrite away
        assertThat(verifier.verify(tenant, Optional.of(7L), Optional.empty()).ok()).isTrue();
        assertBroken(evidence(tenant, 3), 6, "hash differs from the signed checkpoint");
    }

    @Test
    void aForgedCheckpointRowWhoseSignatureDoesNotVerifyIsBroken() throws Exception {
        String tenant = chain("evidence-bad-signature");
        // the pending events rewritten, and a checkpoint row over the new head claiming the service's key
        byte[] head = rewriteFrom(tenant, 7);
        Instant time = Timestamps.now();
        byte[] garbage = sign(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(),
                Checkpoint.statement(tenant, 8, head, time));
        TestApp.tamperAt(url, "insert into checkpoints (tenant, seq, hash, signed_at, key_id, signature) values ('"
                + tenant + "', 8, " + bytea(head) + ", '" + time + "', '" + keys.keyId() + "', " + bytea(garbage) + ")");
        assertBroken(evidence(tenant, 7), 8, "checkpoint signature does not verify with key " + keys.keyId());
    }

    @Test
    void aCheckpointWithAValidSignatureOfAKeyOnlyTheDatabaseListsIsBroken() throws Exception {
        String tenant = chain("evidence-forged-key");
        byte[] head = rewriteFrom(tenant, 7);
        KeyPair forged = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String keyId = SigningKeys.keyIdOf(forged.getPublic());
        Instant time = Timestamps.now();
        TestApp.tamperAt(url, "insert into signing_keys (key_id, algorithm, public_key, created_at) values ('" + keyId
                        + "', 'Ed25519', " + bytea(forged.getPublic().getEncoded()) + ", now())",
                "insert into checkpoints (tenant, seq, hash, signed_at, key_id, signature) values ('" + tenant + "', 8, "
                        + bytea(head) + ", '" + time + "', '" + keyId + "', "
                        + bytea(sign(forged, Checkpoint.statement(tenant, 8, head, time))) + ")");
        assertThat(keys.published()).anyMatch(key -> key.keyId().equals(keyId));
        assertBroken(evidence(tenant, 7), 8, keyId, "not a trusted key");
    }

    @Test
    void aRowDeletedBehindTheServicesBackIsBrokenNotMissing() {
        String tenant = chain("evidence-deleted");
        TestApp.tamperAt(url, "delete from audit_events" + where(tenant, 4));
        assertBroken(evidence(tenant, 4), 4, "event missing");
    }

    @Test
    void anotherTenantsSeqIsNotFound() {
        String tenant = chain("evidence-mine");
        String other = TestApp.newTenant("evidence-other");
        TestApp.createKey(jdbi, other, "auditor");
        append(other, 20);
        assertThat(evidence(other, 15).state()).isEqualTo(EventEvidence.State.PENDING);
        for (long seq : new long[] {0, 9, 15}) {
            assertThatThrownBy(() -> evidence(tenant, seq)).isInstanceOfSatisfying(Rejection.class,
                    rejection -> assertThat(rejection.kind()).isEqualTo(Rejection.Kind.NOT_FOUND));
        }
    }

    @Test
    void aCheckpointBeyondTheLimitIsNeverGreenAndABreakWithinItIsStillRed() {
        String tenant = chain("evidence-far");
        EventEvidence far = verifier.evidence(tenant, 2, 3);
        assertThat(far.state()).isEqualTo(EventEvidence.State.TOO_FAR);
        assertThat(far.checked()).isEqualTo(3);
        assertThat(far.checkpointSeq()).isEqualTo(6);
        assertThat(far.checkpointKeyId()).isNull();
        assertThat(far.reason()).contains("more than 3 events");
        // a pending event is checked as far as the limit
        assertThat(verifier.evidence(tenant, 7, 1).state()).isEqualTo(EventEvidence.State.PENDING);
        assertThat(verifier.evidence(tenant, 7, 1).checked()).isEqualTo(1);

        TestApp.tamperAt(url, "update audit_events set action = 'x.y'" + where(tenant, 3));
        assertBroken(verifier.evidence(tenant, 2, 3), 3, "hash does not match");
    }
}
