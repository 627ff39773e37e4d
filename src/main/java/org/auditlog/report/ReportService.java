package org.auditlog.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.auditlog.access.Requester;
import org.auditlog.common.Digests;
import org.auditlog.common.OwnerOnlyFiles;
import org.auditlog.common.Rejection;
import org.auditlog.common.TimeIdCursor;
import org.auditlog.common.Timestamps;
import org.auditlog.database.DatabaseFailures;
import org.auditlog.event.EventIds;
import org.auditlog.event.Resource;
import org.auditlog.filter.FilterParser;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.scheduling.Firing;
import org.auditlog.scheduling.JobScheduler;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports of a tenant's log: asked for, made in the background (one {@code report-<id>} job, on any
 * instance), kept for good, downloaded, and checked with their signed manifest. Requests and downloads
 * are recorded in the tenant's log.
 */
public final class ReportService {
    static final String TASK = "report";
    static final String JOB_DATA_ID = "reportId";
    static final String INTERRUPTED = "the instance making the report stopped before it finished; request it again";
    static final int MAX_PAGE = 100;
    private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);

    /** A page of the tenant's reports, newest first, and the cursor of the next. */
    public record Reports(List<ReportRecord> reports, String nextCursor) {
    }

    /** The finished file to download. */
    public record Download(Path file, String fileName) {
    }

    private final Jdbi jdbi;
    private final ReportBuilder builder;
    private final SigningKeys keys;
    private final JobScheduler scheduler;
    private final AuditTrail trail;
    private final ObjectMapper mapper;
    private final Path directory;

    public ReportService(Jdbi jdbi, ReportBuilder builder, SigningKeys keys, JobScheduler scheduler, AuditTrail trail,
                         ObjectMapper mapper, Path directory) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.builder = requireNonNull(builder, "builder is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** Queues a report; its {@code asOfSeq} is the tenant's newest seq now unless the request names an earlier one. */
    public ReportRecord request(Requester requester, ReportRequest request) {
        UUID id = UUID.randomUUID();
        long asOfSeq = jdbi.inTransaction(handle -> {
            ReportRecordDao dao = handle.attach(ReportRecordDao.class);
            long head = dao.headSeq(requester.tenant());
            if (request.asOfSeq().isPresent() && request.asOfSeq().get() > head) {
                throw Rejection.invalid(List.of(new org.auditlog.common.Problem("asOfSeq",
                        "must not be after the newest seq, " + head)));
            }
            long seq = request.asOfSeq().orElse(head);
            dao.insert(id, requester.tenant(), request.title(), request.from(), request.to(),
                    request.filter().describe().toString(), seq, requester.reference(), Timestamps.now());
            return seq;
        });
        ObjectNode metadata = request.filter().describe();
        metadata.put("from", Timestamps.format(request.from())).put("to", Timestamps.format(request.to()))
                .put("asOfSeq", asOfSeq).put("title", request.title());
        trail.record(requester.tenant(), AuditTrail.ACCESS, "report.requested", requester.actor(),
                new Resource("report", id.toString(), request.title()), metadata);
        try {
            scheduler.runOnce(TASK, "report-" + id, Map.of(JOB_DATA_ID, id.toString()));
        } catch (org.quartz.SchedulerException e) {
            jdbi.useExtension(ReportRecordDao.class, dao -> dao.fail(id, "the report could not be scheduled"));
            throw new IllegalStateException("report could not be scheduled", e);
        }
        return find(requester, id.toString());
    }

    public ReportRecord find(Requester requester, String id) {
        return EventIds.parse(id)
                .flatMap(uuid -> jdbi.withExtension(ReportRecordDao.class, dao -> dao.find(requester.tenant(), uuid)))
                .orElseThrow(() -> Rejection.notFound("report"));
    }

    /** The tenant's reports, newest first, {@code limit} a page; {@code cursor} from the previous page. */
    public Reports list(Requester requester, int limit, Optional<String> cursor) {
        Optional<TimeIdCursor> after = TimeIdCursor.decode(cursor);
        List<ReportRecord> rows = jdbi.withExtension(ReportRecordDao.class, dao -> dao.page(requester.tenant(),
                after.map(TimeIdCursor::at).orElse(null), after.map(TimeIdCursor::id).orElse(null), limit + 1));
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            ReportRecord last = rows.get(limit - 1);
            next = new TimeIdCursor(last.createdAtInstant(), last.id()).encode();
        }
        return new Reports(rows, next);
    }

    public Download download(Requester requester, String id) {
        ReportRecord report = finished(requester, id);
        if (report.filePath() == null || !Files.exists(Path.of(report.filePath()))) {
            throw Rejection.gone("the report's file is missing from the reports folder");
        }
        trail.recordLater(requester.tenant(), AuditTrail.ACCESS, "report.downloaded", requester.actor(),
                new Resource("report", report.id().toString(), report.title()), null);
        return new Download(Path.of(report.filePath()), report.fileName());
    }

    public String manifest(Requester requester, String id) {
        return finished(requester, id).manifest();
    }

    private ReportRecord finished(Requester requester, String id) {
        ReportRecord report = find(requester, id);
        if (!report.status().equals("done")) {
            throw Rejection.conflict("the report is " + report.status() + ", not done");
        }
        return report;
    }

    /** The report's job: made once; a run that finds its instance died while making it marks it failed. */
    void runJob(Firing firing) {
        UUID id = UUID.fromString(firing.required(JOB_DATA_ID));
        if (firing.recovering()
                && jdbi.withExtension(ReportRecordDao.class, dao -> dao.failRunning(id, INTERRUPTED)) == 1) {
            LOG.warn("report {} was being made on an instance that stopped; marked failed", id);
            return;
        }
        run(id);
    }

    /** Makes a queued report: the PDF, its hash, its signed manifest. */
    public void run(UUID id) {
        if (jdbi.withExtension(ReportRecordDao.class, dao -> dao.start(id)) == 0) {
            return;
        }
        ReportRecord report = jdbi.withExtension(ReportRecordDao.class, dao -> dao.find(id)).orElseThrow();
        Path temporary = null;
        try {
            Path folder = directory.resolve(report.tenant());
            Files.createDirectories(folder);
            temporary = folder.resolve(".report-" + id + ".part");
            var digest = Digests.sha256();
            ReportBuilder.Made made;
            try (OutputStream out = new DigestOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(temporary), 64 * 1024), digest)) {
                made = builder.write(report, FilterParser.stored(report.filters()), out);
            }
            String sha256 = HexFormat.of().formatHex(digest.digest());
            Path file = folder.resolve(id + ".pdf");
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Instant completed = Timestamps.now();
            String manifest = signedManifest(report, made, sha256);
            jdbi.useExtension(ReportRecordDao.class, dao -> dao.finish(id, made.pageCount(), sha256, file.toString(),
                    manifest, completed));
        } catch (Exception e) {
            LOG.error("report {} failed", id, e);
            jdbi.useExtension(ReportRecordDao.class, dao -> dao.fail(id, DatabaseFailures.describe(e, "the report")));
            OwnerOnlyFiles.deleteQuietly(temporary);
        }
    }

    /**
     * {@code {"reportId", "tenant", "title", "from", "to", "asOfSeq", "filters", "firstSeq", "lastSeq",
     * "sections", "sha256", "createdAt", "keyId", "signature"}}, signed like an export's manifest.
     */
    private String signedManifest(ReportRecord report, ReportBuilder.Made made, String sha256) throws IOException {
        ObjectNode manifest = mapper.createObjectNode();
        manifest.put("reportId", report.id().toString());
        manifest.put("tenant", report.tenant());
        manifest.put("title", report.title());
        manifest.put("from", report.from());
        manifest.put("to", report.to());
        manifest.put("asOfSeq", report.asOfSeq());
        manifest.set("filters", mapper.readTree(report.filters()));
        if (made.firstSeq() == null) {
            manifest.putNull("firstSeq");
            manifest.putNull("lastSeq");
        } else {
            manifest.put("firstSeq", made.firstSeq());
            manifest.put("lastSeq", made.lastSeq());
        }
        ObjectNode sections = manifest.putObject("sections");
        made.sections().forEach(sections::put);
        manifest.put("sha256", sha256);
        manifest.put("createdAt", report.createdAt());
        return keys.signManifest(manifest);
    }
}
