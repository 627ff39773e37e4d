package org.auditlog.export;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.auditlog.access.Requester;
import org.auditlog.common.LimitsConfiguration;
import org.auditlog.common.OwnerOnlyFiles;
import org.auditlog.common.Rejection;
import org.auditlog.common.TenantConcurrency;
import org.auditlog.common.Timestamps;
import org.auditlog.database.DatabaseFailures;
import org.auditlog.database.ReadDatabase;
import org.auditlog.database.TenantLocks;
import org.auditlog.event.Resource;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.FilterParser;
import org.auditlog.integrity.CanonicalJson;
import org.auditlog.integrity.SigningKeys;
import org.auditlog.scheduling.Firing;
import org.auditlog.scheduling.JobScheduler;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compliance exports: streamed straight to the client, or written in the background by a scheduled
 * job to a file with a signed manifest. Every export is recorded in the tenant's own log.
 */
public final class ExportService {
    private static final Logger LOG = LoggerFactory.getLogger(ExportService.class);
    /** The task that runs one background export, and the one id its job data holds. */
    static final String TASK = "export";
    static final String JOB_DATA_ID = "exportId";
    /** A streamed export usually ends within seconds; a background one within a minute or so. */
    private static final Duration STREAM_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration QUEUED_RETRY_AFTER = Duration.ofSeconds(30);
    static final String INTERRUPTED = "the instance running the export stopped before it finished; request it again";

    private final ReadDatabase reads;
    private final Jdbi jdbi;
    private final StreamedExport streamed;
    private final SigningKeys keys;
    private final JobScheduler scheduler;
    private final AuditTrail trail;
    private final ObjectMapper mapper;
    private final Path directory;
    private final Duration ttl;
    private final int queuedExports;
    private final TenantConcurrency streams;

    public ExportService(ReadDatabase reads, SigningKeys keys, JobScheduler scheduler, AuditTrail trail,
                         ObjectMapper mapper, Path directory, Duration ttl, com.codahale.metrics.Meter rowsExported, LimitsConfiguration limits) {
        this.reads = requireNonNull(reads, "reads is null");
        this.jdbi = reads.primary();
        this.streamed = new StreamedExport(jdbi, rowsExported);
        this.keys = requireNonNull(keys, "keys is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.ttl = requireNonNull(ttl, "ttl is null");
        this.queuedExports = limits.getQueuedExports();
        this.streams = new TenantConcurrency("streamed exports", "concurrentStreamedExports",
                limits.getConcurrentStreamedExports(), STREAM_RETRY_AFTER);
    }

    /** A streamed export, ready to write: the format, a file name, and the writing itself. */
    public record Stream(ExportFormat format, String fileName, StreamBody body) {
    }

    public interface StreamBody {
        void writeTo(OutputStream out) throws IOException;
    }

    public Stream stream(Requester requester, StreamRequest request) {
        ExportFormat format = request.format();
        EventFilter filter = request.filter();
        String name = "audit-" + requester.tenant() + "-" + Timestamps.format(Timestamps.now()).replace(":", "") + "."
                + format.extension();
        TenantConcurrency.Slot slot = streams.acquire(requester.tenant());
        Resource resource = new Resource("export_stream", UUID.randomUUID().toString(), null);
        try {
            // before the first byte, and in the requester's request: an export that cannot be recorded is not sent
            trail.record(requester.tenant(), AuditTrail.ACCESS, "export.streamed", requester.actor(), resource,
                    streamMetadata(filter, format));
        } catch (RuntimeException e) {
            slot.close();
            throw e;
        }
        return new Stream(format, name, out -> {
            AtomicLong rows = new AtomicLong();
            try (slot) {
                var written = streamed.write(reads.forStreaming(replica -> true), requester.tenant(), filter, format,
                        out, rows);
                ObjectNode metadata = streamMetadata(filter, format).put("rowCount", written.rowCount())
                        .put("sha256", written.sha256());
                trail.recordLater(requester.tenant(), AuditTrail.ACCESS, "export.completed", requester.actor(), resource,
                        metadata);
            } catch (IOException | RuntimeException e) {
                ObjectNode metadata = streamMetadata(filter, format).put("rowCount", rows.get())
                        .put("reason", e instanceof IOException ? "the client went away" : "the export failed");
                trail.recordLater(requester.tenant(), AuditTrail.ACCESS, "export.aborted", requester.actor(), resource,
                        metadata);
                throw e;
            }
        });
    }

    private static ObjectNode streamMetadata(EventFilter filter, ExportFormat format) {
        ObjectNode metadata = filter.describe();
        metadata.put("format", format.wireName());
        return metadata;
    }

    public ExportRecord request(Requester requester, ExportRequest request) {
        ExportFormat format = request.format();
        EventFilter filter = request.filter();
        UUID id = UUID.randomUUID();
        String filters = filter.describe().toString();
        // counted and inserted under the tenant's export lock, so concurrent requests on any instance
        // cannot together pass the cap
        jdbi.useTransaction(handle -> {
            ExportRecordDao dao = handle.attach(ExportRecordDao.class);
            handle.attach(TenantLocks.class).lock("exports", requester.tenant());
            if (dao.unfinished(requester.tenant()) >= queuedExports) {
                throw Rejection.overLimit("queuedExports", queuedExports,
                        "this tenant already has as many background exports queued or running as it may",
                        QUEUED_RETRY_AFTER);
            }
            dao.insert(id, requester.tenant(), format.wireName(), filters, requester.reference(), Timestamps.now());
        });
        ObjectNode metadata = filter.describe();
        metadata.put("format", format.wireName());
        trail.record(requester.tenant(), AuditTrail.ACCESS, "export.requested", requester.actor(),
                new Resource("export", id.toString(), null), metadata);
        try {
            scheduler.runOnce(TASK, "export-" + id, Map.of(JOB_DATA_ID, id.toString()));
        } catch (org.quartz.SchedulerException e) {
            jdbi.useExtension(ExportRecordDao.class, dao -> dao.fail(id, "the export could not be scheduled"));
            throw new IllegalStateException("export could not be scheduled", e);
        }
        return find(requester, id.toString());
    }

    public ExportRecord find(Requester requester, String id) {
        return org.auditlog.event.EventIds.parse(id).flatMap(uuid -> jdbi.withExtension(ExportRecordDao.class, dao -> dao.find(requester.tenant(), uuid)))
                .orElseThrow(() -> Rejection.notFound("export"));
    }

    /** The finished file to download. */
    public record Download(Path file, ExportFormat format, String fileName) {
    }

    public Download download(Requester requester, String id) {
        ExportRecord export = finished(requester, id);
        if (export.fileDeletedAt() != null || export.filePath() == null || !Files.exists(Path.of(export.filePath()))) {
            throw Rejection.gone("the export file has expired");
        }
        trail.recordLater(requester.tenant(), AuditTrail.ACCESS, "export.downloaded", requester.actor(),
                new Resource("export", export.id().toString(), null), null);
        ExportFormat format = ExportFormat.fromWire(export.format()).orElseThrow();
        return new Download(Path.of(export.filePath()), format,
                "audit-" + export.tenant() + "-" + export.id() + "." + format.extension());
    }

    public String manifest(Requester requester, String id) {
        return finished(requester, id).manifest();
    }

    private ExportRecord finished(Requester requester, String id) {
        ExportRecord export = find(requester, id);
        if (!export.status().equals("done")) {
            throw Rejection.conflict("the export is " + export.status() + ", not done");
        }
        return export;
    }

    /**
     * The export's job, possibly on another instance than the request. Quartz runs it again, marked as
     * recovering, when the instance that ran it died (its job requests recovery); the export then
     * ends as failed instead of staying {@code running}.
     */
    void runJob(Firing firing) {
        UUID id = UUID.fromString(firing.required(JOB_DATA_ID));
        if (firing.recovering()) {
            recover(id);
        } else {
            run(id);
        }
    }

    /** Runs a queued export. */
    public void run(UUID id) {
        if (jdbi.withExtension(ExportRecordDao.class, dao -> dao.start(id)) == 0) {
            return;
        }
        ExportRecord export = jdbi.withExtension(ExportRecordDao.class, dao -> dao.find(id)).orElseThrow();
        Path temporary = null;
        try {
            ExportFormat format = ExportFormat.fromWire(export.format()).orElseThrow();
            EventFilter filter = FilterParser.stored(export.filters());
            Path folder = directory.resolve(export.tenant());
            Files.createDirectories(folder);
            temporary = partFile(export.tenant(), id);
            StreamedExport.Written written;
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temporary), 64 * 1024)) {
                written = streamed.write(jdbi, export.tenant(), filter, format, out, new AtomicLong());
            }
            Path file = folder.resolve(id + "." + format.extension());
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Instant completed = Timestamps.now();
            String manifest = signedManifest(export, filter, written);
            jdbi.useExtension(ExportRecordDao.class, dao -> dao.finish(id, written.rowCount(), written.firstSeq(),
                    written.lastSeq(), written.sha256(), completed, completed.plus(ttl), file.toString(), manifest));
            LOG.info("export {} of tenant {} done: {} rows", id, export.tenant(), written.rowCount());
        } catch (Exception e) {
            LOG.error("export {} failed", id, e);
            jdbi.useExtension(ExportRecordDao.class, dao -> dao.fail(id, DatabaseFailures.describe(e, "the export")));
            OwnerOnlyFiles.deleteQuietly(temporary);
        }
    }

    /**
     * An export whose instance died while it ran (Quartz recovers its job): marked failed, its partial
     * file deleted. Running it again could loop on an export that brings its instance down, and the
     * client may want it with other filters by now: it asks again. One that had not started yet runs.
     */
    public void recover(UUID id) {
        Optional<ExportRecord> export = jdbi.withExtension(ExportRecordDao.class, dao -> dao.find(id));
        if (export.isEmpty()) {
            return;
        }
        if (jdbi.withExtension(ExportRecordDao.class, dao -> dao.failRunning(id, INTERRUPTED)) == 1) {
            LOG.warn("export {} of tenant {} was running on an instance that stopped; marked failed", id,
                    export.get().tenant());
            OwnerOnlyFiles.deleteQuietly(partFile(export.get().tenant(), id));
        } else {
            run(id);
        }
    }

    /** Where a background export is written until it is complete; one name per export, so a recovery finds it. */
    private Path partFile(String tenant, UUID id) {
        return directory.resolve(tenant).resolve(".export-" + id + ".part");
    }

    /** Deletes the files of exports past their time; answers how many. */
    public int deleteExpired() {
        int deleted = 0;
        for (ExportRecord export : jdbi.withExtension(ExportRecordDao.class, dao -> dao.expired(Timestamps.now()))) {
            OwnerOnlyFiles.deleteQuietly(Path.of(export.filePath()));
            jdbi.useExtension(ExportRecordDao.class, dao -> dao.fileDeleted(export.id()));
            deleted++;
        }
        return deleted;
    }

    /**
     * The manifest, signed with Ed25519 over the JCS (RFC 8785) form of the manifest without its
     * {@code signature} member.
     */
    private String signedManifest(ExportRecord export, EventFilter filter, StreamedExport.Written written) {
        ObjectNode manifest = mapper.createObjectNode();
        manifest.put("exportId", export.id().toString());
        manifest.put("tenant", export.tenant());
        manifest.put("format", export.format());
        manifest.set("filters", filter.describe());
        manifest.put("rowCount", written.rowCount());
        if (written.firstSeq() == null) {
            manifest.putNull("firstSeq");
            manifest.putNull("lastSeq");
        } else {
            manifest.put("firstSeq", written.firstSeq());
            manifest.put("lastSeq", written.lastSeq());
        }
        manifest.put("sha256", written.sha256());
        manifest.put("createdAt", export.createdAt());
        return keys.signManifest(manifest);
    }

    public static byte[] canonical(JsonNode json) {
        return CanonicalJson.utf8(json);
    }
}
