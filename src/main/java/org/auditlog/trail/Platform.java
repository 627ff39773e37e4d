package org.auditlog.trail;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.auditlog.common.LimitsConfiguration;
import org.auditlog.database.ReadDatabase;
import org.auditlog.outbound.OutboundConfiguration;
import org.auditlog.scheduling.JobScheduler;
import org.auditlog.web.JsonBodies;
import org.jdbi.v3.core.Jdbi;

/**
 * What every feature above ingest is given to register itself: the database (the primary, and
 * {@code reads}, where a client's read goes: the read replica while it keeps up), the scheduler it hands
 * its tasks to, the audit trail it records callers' actions in, the JSON body reader of its
 * resources, the data directory, and the configuration several features share (per-tenant limits,
 * outbound calls). It sits here, the lowest layer that knows the trail, so that every feature may
 * take it.
 */
public record Platform(ReadDatabase reads, JobScheduler scheduler, AuditTrail trail, JsonBodies bodies, Path dataDir,
                       LimitsConfiguration limits, OutboundConfiguration outbound) {
    public Platform {
        requireNonNull(reads, "reads is null");
        requireNonNull(scheduler, "scheduler is null");
        requireNonNull(trail, "trail is null");
        requireNonNull(bodies, "bodies is null");
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(limits, "limits is null");
        requireNonNull(outbound, "outbound is null");
    }

    /** The primary: writes, and reads that must see the service's own writes. */
    public Jdbi jdbi() {
        return reads.primary();
    }
}
