package org.auditlog.export;

import org.auditlog.event.EventColumns;
import org.auditlog.filter.BindWhere;
import org.auditlog.filter.EventWhere;
import org.jdbi.v3.core.result.ResultIterable;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.FetchSize;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The rows of an export, ascending by seq. Streams: call it only inside a transaction. */
@RegisterRowMapper(ExportRow.Mapper.class)
@EventColumns
public interface ExportDao {
    @SqlQuery("select <eventColumnsAsText> from audit_events where <where> order by seq")
    @FetchSize(5000)
    ResultIterable<ExportRow> rows(@BindWhere EventWhere where);
}
