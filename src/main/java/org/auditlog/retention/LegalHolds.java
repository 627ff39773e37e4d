package org.auditlog.retention;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.UUID;
import org.auditlog.access.Requester;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.database.ReadTimeout;
import org.auditlog.database.TenantLocks;
import org.auditlog.event.EventIds;
import org.auditlog.event.Resource;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.FilterParser;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;

/**
 * Legal holds: filters whose events no retention run deletes while the hold is active. Creating a
 * hold takes the tenant's hold lock, which each deleting batch shares (see {@link RetentionRunner}).
 */
public final class LegalHolds {
    /** The scope of the tenant lock that creating a hold takes and each deleting batch shares. */
    static final String LOCK = "legal-holds";

    private final Jdbi jdbi;
    private final AuditTrail trail;

    public LegalHolds(Jdbi jdbi, AuditTrail trail) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.trail = requireNonNull(trail, "trail is null");
        Database.prepare(jdbi, RetentionDao.class, TenantLocks.class);
    }

    public record Holds(List<LegalHold> holds) {
    }

    public Holds holds(Requester requester) {
        return new Holds(ReadTimeout.read(jdbi, RetentionDao.class, dao -> dao.holds(requester.tenant())));
    }

    public LegalHold createHold(Requester requester, HoldRequest request) {
        String name = request.name();
        String reason = request.reason();
        EventFilter filter = request.filter();
        UUID id = UUID.randomUUID();
        // under the tenant's hold lock: a deleting batch of a run going on now either ends before
        // this hold exists or waits for it and then reads it (see deleteBatch)
        jdbi.useTransaction(handle -> {
            RetentionDao dao = handle.attach(RetentionDao.class);
            handle.attach(TenantLocks.class).lock(LOCK, requester.tenant());
            dao.createHold(id, requester.tenant(), name, reason, filter.describe().toString(), Timestamps.now(),
                    requester.reference());
        });
        trail.record(requester.tenant(), "admin", "retention.hold.created", requester.actor(),
                new Resource("legal_hold", id.toString(), name), filter.describe());
        return jdbi.withExtension(RetentionDao.class, dao -> dao.hold(requester.tenant(), id)).orElseThrow();
    }

    public LegalHold releaseHold(Requester requester, String id) {
        UUID holdId = EventIds.parse(id).orElseThrow(() -> Rejection.notFound("hold"));
        LegalHold hold = jdbi.withExtension(RetentionDao.class, dao -> dao.hold(requester.tenant(), holdId))
                .orElseThrow(() -> Rejection.notFound("hold"));
        if (hold.active()) {
            jdbi.useExtension(RetentionDao.class,
                    dao -> dao.releaseHold(requester.tenant(), holdId, Timestamps.now(), requester.reference()));
            trail.record(requester.tenant(), "admin", "retention.hold.released", requester.actor(),
                    new Resource("legal_hold", hold.id().toString(), hold.name()), null);
        }
        return jdbi.withExtension(RetentionDao.class, dao -> dao.hold(requester.tenant(), holdId)).orElseThrow();
    }

    /** The filters of the tenant's active holds, as they are now. */
    static List<EventFilter> active(RetentionDao dao, String tenant) {
        return dao.activeHolds(tenant).stream().map(hold -> FilterParser.stored(hold.filters())).toList();
    }
}
