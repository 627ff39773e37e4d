package org.auditlog.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.auditlog.access.Requester;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.database.ReadTimeout;
import org.auditlog.database.TenantLocks;
import org.auditlog.event.Resource;
import org.auditlog.filter.FilterParser;
import org.auditlog.outbound.Mailer;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tenant's report schedules, and the job that runs them.
 *
 * <p>One clustered job ({@value #TASK}, every {@code reports.scheduleInterval}) does two things each
 * time. It makes the runs that are due: a schedule keeps its {@code next_run_at}, and the instance
 * that changes it from the value it read (an {@code UPDATE ... WHERE next_run_at = :read}) owns the
 * run, so two instances never make the same one. A run missed while no instance was up is made once,
 * as the latest firing that passed. The run asks {@link ReportService} for the report of the period
 * before the firing, as the schedule ({@code schedule:<name>}), and returns: the report is made by its
 * own job. Then it mails the reports of earlier runs that are done (or failed), claiming each mail the
 * same way; a mail the SMTP server refused is tried again on the next runs for a day. Nothing waits
 * for a report, and a report finished on an instance that stopped before mailing it is mailed by
 * another.
 */
public final class ReportSchedules {
    static final String TASK = "report-schedules";
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    /** How long a mail the SMTP server refused is tried again. */
    static final Duration MAIL_RETRIES = Duration.ofDays(1);
    private static final String LOCK = "report-schedules";
    private static final int BATCH = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ReportSchedules.class);

    /** The tenant's schedules, by name. */
    public record Schedules(List<ReportSchedule> schedules) {
    }

    /** A schedule as set, and whether it is new. */
    public record Saved(ReportSchedule schedule, boolean created) {
    }

    /** What one run of the job did. */
    public record Run(int reportsRequested, int mailsSent, int mailsFailed) {
    }

    private final Jdbi jdbi;
    private final ReportService reports;
    private final Mailer mailer;
    private final AuditTrail trail;
    private final int cap;
    private final long maxAttachmentBytes;

    public ReportSchedules(Jdbi jdbi, ReportService reports, Mailer mailer, AuditTrail trail, int cap,
                           long maxAttachmentBytes) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.reports = requireNonNull(reports, "reports is null");
        this.mailer = requireNonNull(mailer, "mailer is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.cap = cap;
        this.maxAttachmentBytes = maxAttachmentBytes;
        Database.prepare(jdbi, ReportScheduleDao.class, TenantLocks.class);
    }

    public Schedules list(Requester requester) {
        return new Schedules(ReadTimeout.read(jdbi, ReportScheduleDao.class, dao -> dao.list(requester.tenant())));
    }

    public ReportSchedule find(Requester requester, String name) {
        return find(requester.tenant(), name).orElseThrow(() -> Rejection.notFound("schedule"));
    }

    private Optional<ReportSchedule> find(String tenant, String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return jdbi.withExtension(ReportScheduleDao.class, dao -> dao.find(tenant, name));
    }

    /**
     * Creates or replaces the schedule {@code name}. A new cron counts from now: runs it would have made
     * before are not made up.
     */
    public Saved set(Requester requester, String name, ScheduleRequest request) {
        if (!NAME.matcher(name).matches()) {
            throw Rejection.invalid(List.of(new Problem("name",
                    "must be 1 to 64 of a-z, 0-9, _ and -, starting with a letter or digit")));
        }
        String tenant = requester.tenant();
        String[] recipients = request.recipients().toArray(String[]::new);
        String filters = request.filter().describe().toString();
        Instant now = Timestamps.now();
        boolean created = jdbi.inTransaction(handle -> {
            handle.attach(TenantLocks.class).lock(LOCK, tenant);
            ReportScheduleDao dao = handle.attach(ReportScheduleDao.class);
            Optional<ReportSchedule> existing = dao.find(tenant, name);
            if (existing.isEmpty()) {
                if (dao.count(tenant) >= cap) {
                    throw Rejection.invalid(List.of(new Problem("limits.reportSchedules",
                            "this tenant already keeps " + cap + " report schedules, the most it may; delete one first")));
                }
                dao.insert(tenant, name, request.cron(), request.period().wireName(), recipients, request.title(),
                        filters, requester.reference(), now, ScheduleRequest.nextFiring(request.cron(), now));
                return true;
            }
            Instant next = existing.get().cron().equals(request.cron()) ? existing.get().nextRunAtInstant()
                    : ScheduleRequest.nextFiring(request.cron(), now);
            dao.update(tenant, name, request.cron(), request.period().wireName(), recipients, request.title(), filters,
                    now, next);
            return false;
        });
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.put("cron", request.cron()).put("period", request.period().wireName()).put("created", created);
        request.recipients().forEach(details.putArray("recipients")::add);
        details.set("filters", request.filter().describe());
        trail.record(tenant, "admin", "report.schedule.set", requester.actor(),
                new Resource("report_schedule", name, request.title()), details);
        return new Saved(find(requester, name), created);
    }

    public void delete(Requester requester, String name) {
        ReportSchedule schedule = find(requester, name);
        if (jdbi.withExtension(ReportScheduleDao.class, dao -> dao.delete(requester.tenant(), name)) == 0) {
            throw Rejection.notFound("schedule");
        }
        trail.record(requester.tenant(), "admin", "report.schedule.deleted", requester.actor(),
                new Resource("report_schedule", name, schedule.title()), null);
    }

    /** The job: requests the reports of the runs due now, then mails the reports that are done. */
    public Run runDue() {
        return runDue(Timestamps.now());
    }

    Run runDue(Instant now) {
        int requested = 0;
        for (ReportSchedule schedule : jdbi.withExtension(ReportScheduleDao.class, dao -> dao.due(now, BATCH))) {
            if (fire(schedule, now)) {
                requested++;
            }
        }
        int sent = 0;
        int failed = 0;
        for (ReportSchedule schedule : jdbi.withExtension(ReportScheduleDao.class, dao -> dao.toMail(BATCH))) {
            Optional<Boolean> mailed = mail(schedule, now);
            if (mailed.isPresent()) {
                if (mailed.get()) {
                    sent++;
                } else {
                    failed++;
                }
            }
        }
        return new Run(requested, sent, failed);
    }

    /** Claims the schedule's due run and requests its report; false when another instance claimed it. */
    private boolean fire(ReportSchedule schedule, Instant now) {
        Instant due = schedule.nextRunAtInstant();
        // the latest firing that has passed: runs missed while no instance was up are made once
        Instant firedAt = due;
        Instant next = ScheduleRequest.nextFiring(schedule.cron(), firedAt);
        while (next != null && !next.isAfter(now)) {
            firedAt = next;
            next = ScheduleRequest.nextFiring(schedule.cron(), firedAt);
        }
        Instant claimedAt = firedAt;
        Instant following = next;
        if (jdbi.withExtension(ReportScheduleDao.class,
                dao -> dao.claim(schedule.tenant(), schedule.name(), due, claimedAt, following)) == 0) {
            return false;
        }
        ReportPeriod.Range period = ReportPeriod.fromWire(schedule.period()).orElseThrow().before(claimedAt);
        try {
            ReportRecord report = reports.request(schedule.requester(), new ReportRequest(schedule.title(),
                    period.from(), period.to(), FilterParser.stored(schedule.filters()), Optional.empty()));
            jdbi.useExtension(ReportScheduleDao.class, dao -> dao.ran(schedule.tenant(), schedule.name(), report.id()));
            LOG.info("report schedule {}/{} fired for {}: report {}", schedule.tenant(), schedule.name(), claimedAt,
                    report.id());
            return true;
        } catch (RuntimeException e) {
            LOG.error("report schedule {}/{} could not request its report for {}", schedule.tenant(), schedule.name(),
                    claimedAt, e);
            return false;
        }
    }

    /** Mails the schedule's last report; empty when another instance has it, else whether the mail went. */
    private Optional<Boolean> mail(ReportSchedule schedule, Instant now) {
        UUID reportId = schedule.lastReportId();
        UUID previous = schedule.mailedReportId();
        if (jdbi.withExtension(ReportScheduleDao.class,
                dao -> dao.claimMail(schedule.tenant(), schedule.name(), reportId, previous)) == 0) {
            return Optional.empty();
        }
        ReportRecord report = null;
        ReportMail mail;
        try {
            report = reports.find(schedule.requester(), reportId.toString());
            mail = ReportMail.of(schedule, report, maxAttachmentBytes);
            mailer.send(schedule.recipients(), mail.subject(), mail.text(), mail.attachments());
        } catch (Exception e) {
            boolean retry = report != null && (report.completedAtInstant() == null
                    || report.completedAtInstant().plus(MAIL_RETRIES).isAfter(now));
            LOG.error("the mail of report {} of schedule {}/{} failed{}", reportId, schedule.tenant(), schedule.name(),
                    retry ? "; it is tried again at the next run" : "; given up", e);
            if (retry) {
                jdbi.useExtension(ReportScheduleDao.class,
                        dao -> dao.releaseMail(schedule.tenant(), schedule.name(), reportId, previous));
            }
            return Optional.of(false);
        }
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        schedule.recipients().forEach(details.putArray("recipients")::add);
        details.put("status", report.status()).put("attached", !mail.attachments().isEmpty());
        trail.record(schedule.tenant(), AuditTrail.ACCESS, "report.mailed", schedule.requester().actor(),
                new Resource("report", reportId.toString(), report.title()), details);
        return Optional.of(true);
    }
}
