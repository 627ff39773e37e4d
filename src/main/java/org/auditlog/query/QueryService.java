package org.auditlog.query;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.auditlog.access.Caller;
import org.auditlog.common.ApiException;
import org.auditlog.common.Digests;
import org.auditlog.database.Database;
import org.auditlog.database.ReadTimeout;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventIds;
import org.auditlog.event.Resource;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads of the log, always within the caller's tenant: another tenant's event is simply not found.
 * Pages are keyset pages on {@code (occurredAt, seq)} bounded by the newest {@code seq} that existed
 * at the first page, so a walk sees every match that existed when it began exactly once.
 */
public final class QueryService {
    private static final Map<String, String> GROUPS = Map.of(
            "action", "action",
            "category", "category",
            "outcome", "outcome",
            "actorId", "actor_id",
            "resourceType", "resource_type",
            "hour", "to_char(date_trunc('hour', occurred_at at time zone 'UTC'), 'YYYY-MM-DD\"T\"HH24:00:00.000\"Z\"')",
            "day", "to_char(date_trunc('day', occurred_at at time zone 'UTC'), 'YYYY-MM-DD\"T\"00:00:00.000\"Z\"')");
    private static final int MAX_BUCKETS = 1000;

    private final Jdbi jdbi;
    private final CursorCodec cursors;
    private final AuditTrail trail;
    private final boolean recordQueries;

    public QueryService(Jdbi jdbi, CursorCodec cursors, AuditTrail trail, boolean recordQueries) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.cursors = requireNonNull(cursors, "cursors is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.recordQueries = recordQueries;
        Database.prepare(jdbi, QueryDao.class);
    }

    public AuditEvent find(Caller caller, String id) {
        AuditEvent event = EventIds.parse(id)
                .flatMap(uuid -> ReadTimeout.read(jdbi, EventReadDao.class, dao -> dao.find(caller.tenant(), uuid)))
                .orElseThrow(() -> ApiException.notFound("event"));
        record(caller, "event.read", new Resource("audit_event", event.id(), null), null);
        return event;
    }

    public Page search(Caller caller, Map<String, List<String>> parameters) {
        EventFilter filter = FilterParser.parse(parameters, Set.of("limit", "order", "cursor"));
        int limit = limit(first(parameters, "limit"));
        boolean ascending = ascending(first(parameters, "order"));
        String scope = scope(caller.tenant(), filter, ascending);
        Optional<CursorCodec.Cursor> cursor = cursors.decode(scope, first(parameters, "cursor").orElse(null));

        // The page is bounded by the snapshot's seq and stored events never change, so the two
        // statements would agree without a transaction; it is there for the statement timeout.
        Page page = ReadTimeout.read(jdbi, handle -> {
            QueryDao dao = handle.attach(QueryDao.class);
            long snapshot = cursor.map(CursorCodec.Cursor::snapshotSeq).orElseGet(() -> dao.headSeq(caller.tenant()));
            FilterSql sql = FilterSql.of(caller.tenant(), filter).and("seq <= :snapshotSeq", Map.of("snapshotSeq", snapshot));
            cursor.ifPresent(c -> sql.and(after(ascending, "cursorAt", "cursorSeq"),
                    Map.of("cursorAt", Timestamp.from(c.occurredAt()), "cursorSeq", c.seq())));
            String direction = ascending ? "asc" : "desc";
            List<AuditEvent> rows = sql.matchesMetadata()
                    ? pageMatchingMetadata(dao, sql, ascending, limit + 1)
                    : dao.page(sql.where(), direction, sql.parameters(), limit + 1);
            String next = null;
            if (rows.size() > limit) {
                rows = rows.subList(0, limit);
                AuditEvent last = rows.get(limit - 1);
                next = cursors.encode(scope, new CursorCodec.Cursor(last.occurredAtInstant(), last.seq(), snapshot));
            }
            return new Page(rows, next);
        });
        record(caller, "events.queried", null, filter.describe().put("returned", page.events().size()));
        return page;
    }

    public Stats stats(Caller caller, Map<String, List<String>> parameters) {
        EventFilter filter = FilterParser.parse(parameters, Set.of("groupBy"));
        String groupBy = first(parameters, "groupBy")
                .orElseThrow(() -> ApiException.badParameter("groupBy", "is required: one of " + String.join(", ", new TreeMap<>(GROUPS).keySet())));
        String key = GROUPS.get(groupBy);
        if (key == null) {
            throw ApiException.badParameter("groupBy", "must be one of " + String.join(", ", new TreeMap<>(GROUPS).keySet()));
        }
        boolean byTime = groupBy.equals("hour") || groupBy.equals("day");
        FilterSql sql = FilterSql.of(caller.tenant(), filter);
        Stats stats = ReadTimeout.read(jdbi, handle -> {
            QueryDao dao = handle.attach(QueryDao.class);
            long total = dao.count(sql.where(), sql.parameters());
            var buckets = dao.buckets(key, byTime ? "1 asc" : "2 desc, 1 asc", sql.where(), sql.parameters(), MAX_BUCKETS);
            return new Stats(groupBy, total, buckets);
        });
        record(caller, "events.stats", null, filter.describe().put("groupBy", groupBy));
        return stats;
    }

    /** A page of a filter with a metadata match: the newest events in order first (see {@link MetadataWindows}). */
    private static List<AuditEvent> pageMatchingMetadata(QueryDao dao, FilterSql sql, boolean ascending, int rows) {
        String where = sql.whereButMetadata();
        String metadata = sql.metadataWhere();
        Map<String, Object> parameters = sql.parameters();
        String direction = ascending ? "asc" : "desc";
        int window = MetadataWindows.first(rows);
        List<AuditEvent> found = dao.pageAmongNewest(where, metadata, direction, parameters, rows, window);
        if (found.size() == rows) {
            return found;
        }
        if (!found.isEmpty()) {
            int wider = MetadataWindows.wider(rows, window, found.size());
            if (wider > 0) {
                // The first window's matches are the newest in order: the rest of the page comes after
                // the last of them, read on from there rather than from the start again.
                AuditEvent last = found.get(found.size() - 1);
                Map<String, Object> fromMatch = new HashMap<>(parameters);
                fromMatch.put("matchAt", Timestamp.from(last.occurredAtInstant()));
                fromMatch.put("matchSeq", last.seq());
                List<AuditEvent> more = dao.pageAmongNewest(where + " and " + after(ascending, "matchAt", "matchSeq"),
                        metadata, direction, fromMatch, rows - found.size(), wider);
                found = new ArrayList<>(found);
                found.addAll(more);
            }
        } else {
            QueryDao.Window seen = dao.window(where, direction, ascending ? "max" : "min", parameters, window);
            if (seen.events() < window) {
                return found; // the window held every event that passes the rest of the filter
            }
            int wider = MetadataWindows.widerAfterNone(rows, window, seen.mix());
            if (wider > 0) {
                // The first window held no match: the wider one starts at the time it ended (its events
                // at that time, already seen, match nothing either), and is read in order from there.
                Map<String, Object> past = new HashMap<>(parameters);
                past.put("windowEndAt", seen.lastAt());
                found = dao.pageAmongNewest(where + " and occurred_at " + (ascending ? ">=" : "<=") + " :windowEndAt",
                        metadata, direction, past, rows, wider - window);
            }
        }
        return found.size() == rows ? found : dao.page(sql.where(), direction, parameters, rows);
    }

    /** The events after a position in the page's order, the position bound as {@code :at} and {@code :seq}. */
    private static String after(boolean ascending, String at, String seq) {
        return "(occurred_at, seq) " + (ascending ? ">" : "<") + " (:" + at + ", :" + seq + ")";
    }

    static int limit(Optional<String> text) {
        if (text.isEmpty()) {
            return 100;
        }
        try {
            int limit = Integer.parseInt(text.get());
            if (limit >= 1 && limit <= 1000) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // falls through to the 400
        }
        throw ApiException.badParameter("limit", "must be a whole number from 1 to 1000");
    }

    private static boolean ascending(Optional<String> order) {
        if (order.isEmpty() || order.get().equals("desc")) {
            return false;
        }
        if (order.get().equals("asc")) {
            return true;
        }
        throw ApiException.badParameter("order", "must be asc or desc");
    }

    static Optional<String> first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1) {
            throw ApiException.badParameter(name, "must be given once");
        }
        return Optional.of(values.get(0));
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

    private void record(Caller caller, String action, Resource resource, ObjectNode metadata) {
        if (recordQueries) {
            trail.recordLater(caller.tenant(), AuditTrail.ACCESS, action, caller.asActor(), resource, metadata);
        }
    }

}
