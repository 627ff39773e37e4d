package org.auditlog.query;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.auditlog.access.Requester;
import org.auditlog.common.Digests;
import org.auditlog.common.Rejection;
import org.auditlog.database.Database;
import org.auditlog.database.PlanModeDao;
import org.auditlog.database.ReadDatabase;
import org.auditlog.database.ReadTimeout;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventIds;
import org.auditlog.event.Resource;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventGroup;
import org.auditlog.filter.EventWhere;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads of the log, always within the requester's tenant: another tenant's event is simply not found.
 * Pages are keyset pages on {@code (occurredAt, seq)} bounded by the newest {@code seq} that existed
 * at the first page, so a walk sees every match that existed when it began exactly once.
 * Reads go to the read replica while it keeps up (see {@link ReadDatabase}); a page whose snapshot
 * the replica has not replayed yet, and an event the replica does not have, are read on the primary.
 * A page whose filter one index serves in time order whatever its values ({@link EventFilter#oneIndexServes})
 * runs plans made once per statement and connection: with the events in many partitions, planning
 * such a page with its values took several times as long as reading it. Any other page, and the index
 * read of a metadata match, are planned with their values, as the connection is configured.
 */
public final class QueryService {
    private static final int MAX_BUCKETS = 1000;

    private final ReadDatabase reads;
    private final CursorCodec cursors;
    private final AuditTrail trail;
    private final boolean recordQueries;

    public QueryService(Jdbi jdbi, CursorCodec cursors, AuditTrail trail, boolean recordQueries) {
        this(ReadDatabase.primaryOnly(jdbi), cursors, trail, recordQueries);
    }

    public QueryService(ReadDatabase reads, CursorCodec cursors, AuditTrail trail, boolean recordQueries) {
        this.reads = requireNonNull(reads, "reads is null");
        this.cursors = requireNonNull(cursors, "cursors is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.recordQueries = recordQueries;
        Database.prepare(reads.primary(), QueryDao.class);
    }

    public AuditEvent find(Requester requester, String id) {
        // an event the replica has not replayed yet (just ingested) may be on the primary
        AuditEvent event = EventIds.parse(id)
                .flatMap(uuid -> reads.read(jdbi -> find(jdbi, requester.tenant(), uuid).map(Optional::of),
                        jdbi -> find(jdbi, requester.tenant(), uuid)))
                .orElseThrow(() -> Rejection.notFound("event"));
        record(requester, "event.read", new Resource("audit_event", event.id(), null), null);
        return event;
    }

    public Page search(Requester requester, SearchRequest request) {
        EventFilter filter = request.filter();
        int limit = request.limit();
        boolean ascending = request.ascending();
        String scope = scope(requester.tenant(), filter, ascending);
        Optional<CursorCodec.Cursor> cursor = cursors.decode(scope, request.cursor().orElse(null));

        // a later page's snapshot may be newer than what the replica has replayed: then the primary
        Page page = reads.read(jdbi -> page(jdbi, requester.tenant(), filter, scope, cursor, ascending, limit, true),
                jdbi -> page(jdbi, requester.tenant(), filter, scope, cursor, ascending, limit, false).orElseThrow());
        record(requester, "events.queried", null, filter.describe().put("returned", page.events().size()));
        return page;
    }

    private static Optional<AuditEvent> find(Jdbi jdbi, String tenant, java.util.UUID id) {
        return ReadTimeout.read(jdbi, EventReadDao.class, dao -> dao.find(tenant, id));
    }

    /**
     * A page, or empty when {@code replayedOnly} and this database's head is behind the cursor's
     * snapshot. The page is bounded by the snapshot's seq and stored events never change, so the
     * statements would agree without a transaction; it is there for the statement timeout.
     */
    private Optional<Page> page(Jdbi jdbi, String tenant, EventFilter filter, String scope,
                                Optional<CursorCodec.Cursor> cursor, boolean ascending, int limit, boolean replayedOnly) {
        return ReadTimeout.read(jdbi, handle -> {
            QueryDao dao = handle.attach(QueryDao.class);
            if (replayedOnly && cursor.isPresent() && dao.headSeq(tenant) < cursor.get().snapshotSeq()) {
                return Optional.empty();
            }
            long snapshot = cursor.map(CursorCodec.Cursor::snapshotSeq).orElseGet(() -> dao.headSeq(tenant));
            EventWhere inSnapshot = EventWhere.of(tenant, filter).atMostSeq(snapshot);
            EventWhere where = cursor.map(c -> inSnapshot.after(ascending, c.occurredAt(), c.seq())).orElse(inSnapshot);
            boolean planOnce = filter.oneIndexServes();
            PlanModeDao plans = handle.attach(PlanModeDao.class);
            if (planOnce) {
                plans.planOnceForAnyValues();
            }
            List<AuditEvent> rows = where.matchesMetadata()
                    ? pageMatchingMetadata(dao, where, ascending, limit + 1, planOnce ? plans : null)
                    : dao.page(where, direction(ascending), limit + 1);
            String next = null;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                AuditEvent last = rows.get(limit - 1);
                next = cursors.encode(scope, new CursorCodec.Cursor(last.occurredAtInstant(), last.seq(), snapshot));
            }
            return Optional.of(new Page(rows, next));
        });
    }

    public Stats stats(Requester requester, StatsRequest request) {
        EventFilter filter = request.filter();
        EventGroup group = request.groupBy();
        String groupBy = group.wireName();
        EventWhere where = EventWhere.of(requester.tenant(), filter);
        Stats stats = reads.read(jdbi -> ReadTimeout.read(jdbi, handle -> {
            QueryDao dao = handle.attach(QueryDao.class);
            return new Stats(groupBy, dao.count(where), dao.buckets(group, where, MAX_BUCKETS));
        }));
        record(requester, "events.stats", null, filter.describe().put("groupBy", groupBy));
        return stats;
    }

    /**
     * A page of a filter with a metadata match: the newest events in order first (see {@link MetadataWindows}).
     * {@code plannedOnce}, when not null, says the window statements ran plans made once, and plans the index read with its values.
     */
    private static List<AuditEvent> pageMatchingMetadata(QueryDao dao, EventWhere where, boolean ascending, int rows,
                                                         PlanModeDao plannedOnce) {
        String direction = direction(ascending);
        int window = MetadataWindows.first(rows);
        List<AuditEvent> found = dao.pageAmongNewest(where, direction, rows, window);
        if (found.size() == rows) {
            return found;
        }
        if (!found.isEmpty()) {
            int wider = MetadataWindows.wider(rows, window, found.size());
            if (wider > 0) {
                // The first window's matches are the newest in order: the rest of the page comes after
                // the last of them, read on from there rather than from the start again.
                AuditEvent last = found.get(found.size() - 1);
                List<AuditEvent> more = dao.pageAmongNewest(where.after(ascending, last.occurredAtInstant(), last.seq()),
                        direction, rows - found.size(), wider);
                found = new ArrayList<>(found);
                found.addAll(more);
            }
        } else {
            QueryDao.Window seen = dao.window(where, direction, ascending ? "max" : "min", window);
            if (seen.events() < window) {
                return found; // the window held every event that passes the rest of the filter
            }
            int wider = MetadataWindows.widerAfterNone(rows, window, seen.mix());
            if (wider > 0) {
                // The first window held no match: the wider one starts at the time it ended (its events
                // at that time, already seen, match nothing either), and is read in order from there.
                found = dao.pageAmongNewest(where.fromTime(ascending, seen.lastAt()), direction, rows, wider - window);
            }
        }
        if (found.size() == rows) {
            return found;
        }
        if (plannedOnce != null) {
            // through the metadata index or the time index: which is faster depends on how rare the value is
            plannedOnce.planAsConfigured();
        }
        return dao.page(where, direction, rows);
    }

    private static String direction(boolean ascending) {
        return ascending ? "asc" : "desc";
    }

    /** What a cursor is bound to: tenant, order and every filter, in a form stable across instances. */
    private static String scope(String tenant, EventFilter filter, boolean ascending) {
        List<String> parts = new ArrayList<>(List.of(tenant, ascending ? "asc" : "desc",
                filter.from().map(Object::toString).orElse(""), filter.to().map(Object::toString).orElse(""),
                filter.actorId().orElse(""), filter.actorType().orElse(""), filter.action().orElse(""),
                filter.actionPrefix().orElse(""), filter.category().orElse(""), filter.outcome().orElse(""),
                filter.resourceType().orElse(""), filter.resourceId().orElse(""), filter.ip().orElse(""),
                filter.requestId().orElse("")));
        new TreeMap<>(filter.meta()).forEach((k, v) -> parts.add(k + "=" + v));
        var digest = Digests.sha256();
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private void record(Requester requester, String action, Resource resource, ObjectNode metadata) {
        if (recordQueries) {
            trail.recordLater(requester.tenant(), AuditTrail.ACCESS, action, requester.actor(), resource, metadata);
        }
    }

}
