package org.auditlog.query;

import static java.util.Objects.requireNonNull;

import org.auditlog.auth.Caller;
import org.auditlog.common.ApiException;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventIds;
import org.jdbi.v3.core.Jdbi;

/** Reads of the log, always within the caller's tenant: another tenant's event is simply not found. */
public final class QueryService {
    private final Jdbi jdbi;

    public QueryService(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
    }

    public AuditEvent find(Caller caller, String id) {
        return EventIds.parse(id)
                .flatMap(uuid -> jdbi.withExtension(EventReadDao.class, dao -> dao.find(caller.tenant(), uuid)))
                .orElseThrow(() -> ApiException.notFound("event"));
    }
}
