package org.auditlog.report;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(ReportScheduleDao.Mapper.class)
interface ReportScheduleDao {
    String COLUMNS = "tenant, name, cron, period, recipients, title, filters::text as filters, created_by, created_at, "
            + "updated_at, last_run_at, last_report_id, next_run_at, mailed_report_id";

    @SqlQuery("select " + COLUMNS + " from report_schedules where tenant = :tenant order by name")
    List<ReportSchedule> list(@Bind("tenant") String tenant);

    @SqlQuery("select " + COLUMNS + " from report_schedules where tenant = :tenant and name = :name")
    Optional<ReportSchedule> find(@Bind("tenant") String tenant, @Bind("name") String name);

    @SqlQuery("select count(*) from report_schedules where tenant = :tenant")
    int count(@Bind("tenant") String tenant);

    @SqlUpdate("insert into report_schedules (tenant, name, cron, period, recipients, title, filters, created_by, "
            + "created_at, updated_at, next_run_at) values (:tenant, :name, :cron, :period, :recipients, :title, "
            + "cast(:filters as jsonb), :by, :now, :now, :nextRunAt)")
    void insert(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("cron") String cron,
                @Bind("period") String period, @Bind("recipients") String[] recipients, @Bind("title") String title,
                @Bind("filters") String filters, @Bind("by") String by, @Bind("now") Instant now,
                @Bind("nextRunAt") Instant nextRunAt);

    @SqlUpdate("update report_schedules set cron = :cron, period = :period, recipients = :recipients, title = :title, "
            + "filters = cast(:filters as jsonb), updated_at = :now, next_run_at = :nextRunAt "
            + "where tenant = :tenant and name = :name")
    void update(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("cron") String cron,
                @Bind("period") String period, @Bind("recipients") String[] recipients, @Bind("title") String title,
                @Bind("filters") String filters, @Bind("now") Instant now, @Bind("nextRunAt") Instant nextRunAt);

    @SqlUpdate("delete from report_schedules where tenant = :tenant and name = :name")
    int delete(@Bind("tenant") String tenant, @Bind("name") String name);

    /** Schedules of every tenant whose next run has come, the longest waiting first. */
    @SqlQuery("select " + COLUMNS + " from report_schedules where next_run_at <= :now order by next_run_at limit :limit")
    List<ReportSchedule> due(@Bind("now") Instant now, @Bind("limit") int limit);

    /**
     * Claims the run due at {@code due} as the firing {@code firedAt}: only the instance that still finds
     * {@code next_run_at} as it read it changes it, so a run is made once across the cluster.
     */
    @SqlUpdate("update report_schedules set last_run_at = :firedAt, next_run_at = :next "
            + "where tenant = :tenant and name = :name and next_run_at = :due")
    int claim(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("due") Instant due,
              @Bind("firedAt") Instant firedAt, @Bind("next") Instant next);

    @SqlUpdate("update report_schedules set last_report_id = :reportId where tenant = :tenant and name = :name")
    void ran(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("reportId") UUID reportId);

    /** Schedules whose last report is done or failed and not yet mailed. */
    @SqlQuery("select " + COLUMNS + " from report_schedules s where mailed_report_id is distinct from last_report_id "
            + "and exists (select 1 from reports r where r.id = s.last_report_id and r.status in ('done', 'failed')) "
            + "order by last_run_at limit :limit")
    List<ReportSchedule> toMail(@Bind("limit") int limit);

    /** Claims the mail of {@code reportId}: one instance sends it. */
    @SqlUpdate("update report_schedules set mailed_report_id = :reportId where tenant = :tenant and name = :name "
            + "and last_report_id = :reportId and mailed_report_id is not distinct from :previous")
    int claimMail(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("reportId") UUID reportId,
                  @Bind("previous") UUID previous);

    /** Gives the mail back after a failed attempt, so the next run of the job tries again. */
    @SqlUpdate("update report_schedules set mailed_report_id = :previous where tenant = :tenant and name = :name "
            + "and mailed_report_id = :reportId")
    void releaseMail(@Bind("tenant") String tenant, @Bind("name") String name, @Bind("reportId") UUID reportId,
                     @Bind("previous") UUID previous);

    final class Mapper implements RowMapper<ReportSchedule> {
        @Override
        public ReportSchedule map(ResultSet rs, StatementContext ctx) throws SQLException {
            return new ReportSchedule(rs.getString("tenant"), rs.getString("name"), rs.getString("cron"),
                    rs.getString("period"), Arrays.asList((String[]) rs.getArray("recipients").getArray()),
                    rs.getString("title"), rs.getString("filters"), rs.getString("created_by"),
                    instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "last_run_at"),
                    rs.getObject("last_report_id", UUID.class), instant(rs, "next_run_at"),
                    rs.getObject("mailed_report_id", UUID.class));
        }

        private static Instant instant(ResultSet rs, String column) throws SQLException {
            var value = rs.getObject(column, java.time.OffsetDateTime.class);
            return value == null ? null : value.toInstant();
        }
    }
}
