package org.auditlog.export;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ExportRecord.class)
public interface ExportRecordDao {
    String COLUMNS = "id, tenant, format, filters::text as filters, status, row_count, first_seq, last_seq, sha256, "
            + "created_by, created_at, completed_at, expires_at, file_deleted_at, file_path, manifest, error";

    @SqlUpdate("insert into exports (id, tenant, format, filters, status, created_by, created_at) "
            + "values (:id, :tenant, :format, cast(:filters as jsonb), 'queued', :createdBy, :createdAt)")
    void insert(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("format") String format,
                @Bind("filters") String filters, @Bind("createdBy") String createdBy, @Bind("createdAt") Instant createdAt);

    @SqlQuery("select count(*) from exports where tenant = :tenant and status in ('queued', 'running')")
    long unfinished(@Bind("tenant") String tenant);

    @SqlQuery("select " + COLUMNS + " from exports where id = :id and tenant = :tenant")
    Optional<ExportRecord> find(@Bind("tenant") String tenant, @Bind("id") UUID id);

    @SqlQuery("select " + COLUMNS + " from exports where id = :id")
    Optional<ExportRecord> find(@Bind("id") UUID id);

    /** Takes a queued export; false when another run took it already. */
    @SqlUpdate("update exports set status = 'running', started_at = now() where id = :id and status = 'queued'")
    int start(@Bind("id") UUID id);

    @SqlUpdate("update exports set status = 'done', row_count = :rowCount, first_seq = :firstSeq, last_seq = :lastSeq, "
            + "sha256 = :sha256, completed_at = :completedAt, expires_at = :expiresAt, file_path = :filePath, "
            + "manifest = :manifest where id = :id")
    void finish(@Bind("id") UUID id, @Bind("rowCount") long rowCount, @Bind("firstSeq") Long firstSeq,
                @Bind("lastSeq") Long lastSeq, @Bind("sha256") String sha256, @Bind("completedAt") Instant completedAt,
                @Bind("expiresAt") Instant expiresAt, @Bind("filePath") String filePath, @Bind("manifest") String manifest);

    @SqlUpdate("update exports set status = 'failed', error = :error, completed_at = now() where id = :id")
    void fail(@Bind("id") UUID id, @Bind("error") String error);

    /** Fails an export left {@code running} by an instance that died; false when it is not running. */
    @SqlUpdate("update exports set status = 'failed', error = :error, completed_at = now() "
            + "where id = :id and status = 'running'")
    int failRunning(@Bind("id") UUID id, @Bind("error") String error);

    @SqlQuery("select " + COLUMNS + " from exports where file_path is not null and file_deleted_at is null "
            + "and expires_at < :now")
    List<ExportRecord> expired(@Bind("now") Instant now);

    @SqlUpdate("update exports set file_deleted_at = now() where id = :id")
    void fileDeleted(@Bind("id") UUID id);
}
