package org.auditlog.integrity;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
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
    private final ObjectMapper mapper;

    public CheckpointService(Jdbi jdbi, SigningKeys keys, ObjectMapper mapper) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    /** Signs a checkpoint for each tenant with events since its last one; answers how many were signed. */
    public int checkpointAll() {
        List<CheckpointDao.Due> due = jdbi.withExtension(CheckpointDao.class, CheckpointDao::due);
        int signed = 0;
        for (CheckpointDao.Due head : due) {
            signed += sign(head);
        }
        return signed;
    }

    /** Signs the current head of one tenant's chain (nothing when it is already signed). */
    public Optional<Checkpoint> checkpoint(String tenant) {
        jdbi.withExtension(CheckpointDao.class, dao -> dao.head(tenant)).ifPresent(this::sign);
        return newest(tenant, 1).stream().findFirst();
    }

    public List<Checkpoint> newest(String tenant, int limit) {
        return ReadTimeout.read(jdbi, CheckpointDao.class, dao -> dao.newest(tenant, limit));
    }

    private int sign(CheckpointDao.Due head) {
        Instant now = Timestamps.now();
        var signed = keys.signWithId(Checkpoint.statement(head.tenant(), head.seq(), head.hash(), now));
        return jdbi.withExtension(CheckpointDao.class,
                dao -> dao.insert(head.tenant(), head.seq(), head.hash(), now, signed.keyId(), signed.signature()));
    }
}
