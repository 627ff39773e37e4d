package org.auditlog.report;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ReportRecord.class)
interface ReportRecordDao {
    String COLUMNS = "id, tenant, title, period_from, period_to, filters::text as filters, as_of_seq, status, page_count, "
            + "sha256, created_by, created_at, completed_at, file_path, manifest, error";

    @SqlUpdate("insert into reports (id, tenant, title, period_from, period_to, filters, as_of_seq, status, created_by, "
            + "created_at) values (:id, :tenant, :title, :from, :to, cast(:filters as jsonb), :asOfSeq, 'queued', "
            + ":createdBy, :createdAt)")
    void insert(@Bind("id") UUID id, @Bind("tenant") String tenant, @Bind("title") String title,
                @Bind("from") Instant from, @Bind("to") Instant to, @Bind("filters") String filters,
                @Bind("asOfSeq") long asOfSeq, @Bind("createdBy") String createdBy, @Bind("createdAt") Instant createdAt);

    @SqlQuery("select coalesce((select last_seq from chain_heads where tenant = :tenant), 0)")
    long headSeq(@Bind("tenant") String tenant);

    @SqlQuery("select " + COLUMNS + " from reports where tenant = :tenant and id = :id")
    Optional<ReportRecord> find(@Bind("tenant") String tenant, @Bind("id") UUID id);

    @SqlQuery("select " + COLUMNS + " from reports where id = :id")
    Optional<ReportRecord> find(@Bind("id") UUID id);

    /** The tenant's reports, newest first, after the one at {@code (createdAt, id)} when given. */
    @SqlQuery("select " + COLUMNS + " from reports where tenant = :tenant "
            + "and (cast(:afterAt as timestamptz) is null or (created_at, id) < (:afterAt, :afterId)) "
            + "order by created_at desc, id desc limit :limit")
    List<ReportRecord> page(@Bind("tenant") String tenant, @Bind("afterAt") Instant afterAt,
                            @Bind("afterId") UUID afterId, @Bind("limit") int limit);

    @SqlUpdate("update reports set status = 'running', started_at = now() where id = :id and status = 'queued'")
    int start(@Bind("id") UUID id);

    @SqlUpdate("update reports set status = 'done', page_count = :pageCount, sha256 = :sha256, file_path = :filePath, "
            + "manifest = :manifest, completed_at = :completedAt where id = :id")
    void finish(@Bind("id") UUID id, @Bind("pageCount") int pageCount, @Bind("sha256") String sha256,
                @Bind("filePath") String filePath, @Bind("manifest") String manifest,
                @Bind("completedAt") Instant completedAt);

    @SqlUpdate("update reports set status = 'failed', error = :error, completed_at = now() where id = :id")
    void fail(@Bind("id") UUID id, @Bind("error") String error);

    @SqlUpdate("update reports set status = 'failed', error = :error, completed_at = now() "
            + "where id = :id and status = 'running'")
    int failRunning(@Bind("id") UUID id, @Bind("error") String error);
}
