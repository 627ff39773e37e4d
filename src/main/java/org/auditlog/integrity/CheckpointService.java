package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.auditlog.database.ReadTimeout;
import org.auditlog.common.Timestamps;
import org.jdbi.v3.core.Jdbi;

/** Signs the head of every chain that grew, so that later truncation or rewriting is caught. */
public final class CheckpointService {
    private final Jdbi jdbi;
    private final SigningKeys keys;
    private final CheckpointPublisher publisher;

    public CheckpointService(Jdbi jdbi, SigningKeys keys, CheckpointPublisher publisher) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.publisher = requireNonNull(publisher, "publisher is null");
    }

    /**
     * Signs a checkpoint for each tenant with events since its last one and publishes it, then
     * publishes what earlier runs could not; answers how many were signed.
     */
    public int checkpointAll() {
        List<CheckpointDao.Due> due = jdbi.withExtension(CheckpointDao.class, CheckpointDao::due);
        int signed = 0;
        for (CheckpointDao.Due head : due) {
            signed += sign(head);
        }
        publisher.catchUp(jdbi.withExtension(CheckpointDao.class, CheckpointDao::newestOfEachTenant));
        return signed;
    }

    /** Signs the current head of one tenant's chain (nothing when it is already signed) and publishes it. */
    public Optional<Checkpoint> checkpoint(String tenant) {
        jdbi.withExtension(CheckpointDao.class, dao -> dao.head(tenant)).ifPresent(this::sign);
        publisher.deliver();
        return newest(tenant, 1).stream().findFirst();
    }

    public List<Checkpoint> newest(String tenant, int limit) {
        return ReadTimeout.read(jdbi, CheckpointDao.class, dao -> dao.newest(tenant, limit));
    }

    private int sign(CheckpointDao.Due head) {
        Instant now = Timestamps.now();
        var signed = keys.signWithId(Checkpoint.statement(head.tenant(), head.seq(), head.hash(), now));
        int inserted = jdbi.withExtension(CheckpointDao.class,
                dao -> dao.insert(head.tenant(), head.seq(), head.hash(), now, signed.keyId(), signed.signature()));
        if (inserted == 1) {
            // another run that signed this head first publishes its own
            publisher.publish(new Checkpoint(head.tenant(), head.seq(), head.hash(), now, signed.keyId(),
                    signed.signature()));
        }
        return inserted;
    }

    /** The checkpoints that vouch for {@code [fromSeq, toSeq]}: those within it and the first after it. */
    List<PeriodEvidence.Vouching> vouching(String tenant, long fromSeq, long toSeq) {
        return org.auditlog.database.ReadTimeout.read(jdbi, CheckpointDao.class, dao -> dao.vouching(tenant, fromSeq, toSeq));
    }

    /** The retention receipts for seqs within {@code [fromSeq, toSeq]}. */
    List<PeriodEvidence.Receipt> receipts(String tenant, long fromSeq, long toSeq) {
        return org.auditlog.database.ReadTimeout.read(jdbi, CheckpointDao.class, dao -> dao.receipts(tenant, fromSeq, toSeq));
    }
}
