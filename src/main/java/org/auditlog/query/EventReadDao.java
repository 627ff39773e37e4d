package org.auditlog.query;

import java.util.Optional;
import java.util.UUID;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventColumns;
import org.auditlog.event.StoredEventMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

@RegisterRowMapper(StoredEventMapper.class)
@EventColumns
public interface EventReadDao {
    @SqlQuery("select <eventColumns> from audit_events where id = :id and tenant = :tenant")
    Optional<AuditEvent> find(@Bind("tenant") String tenant, @Bind("id") UUID id);
}
