package org.auditlog.ingest;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.auditlog.database.Database;
import org.auditlog.database.DatabaseFailures;
import org.auditlog.database.Partitions;
import org.auditlog.database.PartitionCover;
import org.auditlog.database.StorageConfiguration;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventDraft;
import org.auditlog.event.EventIds;
import org.auditlog.integrity.EventHasher;
import org.auditlog.trail.Appended;
import org.auditlog.trail.EventSink;
import org.jdbi.v3.core.Jdbi;

/**
 * Appends to tenants' chains in one transaction. Each tenant's head row is locked ({@code FOR
 * UPDATE}) in tenant order, so appends to one tenant are serialized, with gapless {@code seq} in
 * commit order, while other tenants proceed in parallel and no two writers deadlock.
 */
public final class ChainWriter implements EventSink {
    private final Jdbi jdbi;
    private final EventHasher hasher;
    private final PartitionCover partitions;

    /** Writes to the time partitions {@code partitions} keeps, creating one on the spot when none holds an event. */
    public ChainWriter(Jdbi jdbi, EventHasher hasher, PartitionCover partitions) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
        this.partitions = requireNonNull(partitions, "partitions is null");
        Database.prepare(jdbi, EventAppendDao.class);
    }

    /** With partitions of the default span, a month. */
    public ChainWriter(Jdbi jdbi, EventHasher hasher) {
        this(jdbi, hasher, new Partitions(jdbi, new StorageConfiguration()));
    }

    /**
     * The seq of the tenant's last event: how many events its chain has ever held, retention's
     * deletions included; 0 for a tenant that has none.
     */
    public long lastSeq(String tenant) {
        return jdbi.withExtension(EventAppendDao.class, dao -> dao.lastSeq(tenant));
    }

    /**
     * A tenant's drafts as one request sent them, each with its canonical form and its row's columns
     * already worked out but for what the chain gives it: id, seq and the hashes (see
     * {@link EventHasher.Template} and {@link EventRow}).
     */
    public record Append(String tenant, List<EventDraft> drafts, List<EventHasher.Template> templates,
                         List<String> columns) {
        public Append {
            requireNonNull(tenant, "tenant is null");
            drafts = List.copyOf(drafts);
            templates = List.copyOf(templates);
            columns = List.copyOf(columns);
            if (drafts.size() != templates.size() || drafts.size() != columns.size()) {
                throw new IllegalArgumentException("one template and one row per draft");
            }
        }
    }

    /**
     * Does the JSON and text work of an append before it waits for the chain, on the caller's thread,
     * so that what is done under the head's lock is joining, a SHA-256 and the {@code COPY}.
     */
    public Append prepare(String tenant, List<EventDraft> drafts) {
        List<EventHasher.Template> templates = new ArrayList<>(drafts.size());
        List<String> columns = new ArrayList<>(drafts.size());
        for (EventDraft draft : drafts) {
            AuditEvent placeless = event(tenant, "", 0, EventHasher.GENESIS, null, draft);
            templates.add(hasher.template(placeless));
            columns.add(EventRow.draftColumns(placeless));
        }
        return new Append(tenant, drafts, templates, columns);
    }

    @Override
    public List<Appended> append(String tenant, List<EventDraft> drafts) {
        return commit(List.of(prepare(tenant, drafts))).get(0);
    }

    /** Commits all appends at once; the answer holds one list per append, in the order given. */
    public List<List<Appended>> commit(List<Append> appends) {
        Map<String, List<Integer>> byTenant = new TreeMap<>();
        for (int i = 0; i < appends.size(); i++) {
            byTenant.computeIfAbsent(appends.get(i).tenant(), t -> new ArrayList<>()).add(i);
        }
        Instant earliest = null;
        Instant latest = null;
        for (Append append : appends) {
            for (EventDraft draft : append.drafts()) {
                earliest = earliest == null || draft.receivedAt().isBefore(earliest) ? draft.receivedAt() : earliest;
                latest = latest == null || draft.receivedAt().isAfter(latest) ? draft.receivedAt() : latest;
            }
        }
        if (earliest == null) {
            return appends.stream().<List<Appended>>map(a -> List.of()).toList();
        }
        partitions.cover(earliest, latest);
        try {
            return commitCovered(appends, byTenant);
        } catch (RuntimeException e) {
            if (!DatabaseFailures.isMissingPartition(e)) {
                throw e;
            }
            // a partition thought to exist is gone (dropped by hand): the transaction rolled back, so once more
            partitions.forget();
            partitions.cover(earliest, latest);
            return commitCovered(appends, byTenant);
        }
    }

    private List<List<Appended>> commitCovered(List<Append> appends, Map<String, List<Integer>> byTenant) {
        List<List<Appended>> results = new ArrayList<>(appends.size());
        appends.forEach(a -> results.add(null));
        jdbi.useTransaction(handle -> {
            EventAppendDao dao = handle.attach(EventAppendDao.class);
            for (var tenantAppends : byTenant.entrySet()) {
                String tenant = tenantAppends.getKey();
                ChainHead head = lockHead(dao, tenant);
                Map<String, AuditEvent> byKey = storedByIdempotencyKey(dao, tenant, appends, tenantAppends.getValue());
                try (RowCopy rows = RowCopy.on(handle)) {
                    head = chain(tenant, head, appends, tenantAppends.getValue(), byKey, rows, results);
                    if (rows.finish() > 0) {
                        dao.moveHead(tenant, head);
                    }
                }
            }
        });
        return results;
    }

    /**
     * Gives each new event of a tenant's appends its place after {@code head} and adds its row to
     * {@code rows}; a repeated idempotency key answers the event stored first. Answers the new head.
     */
    private static ChainHead chain(String tenant, ChainHead head, List<Append> appends, List<Integer> indexes,
                                   Map<String, AuditEvent> byKey, RowCopy rows, List<List<Appended>> results) {
        for (int index : indexes) {
            List<Appended> out = new ArrayList<>();
            Append append = appends.get(index);
            for (int d = 0; d < append.drafts().size(); d++) {
                EventDraft draft = append.drafts().get(d);
                String key = draft.idempotencyKey().orElse(null);
                AuditEvent earlier = key == null ? null : byKey.get(key);
                if (earlier != null) {
                    out.add(new Appended(earlier, true));
                    continue;
                }
                UUID uuid = EventIds.next(draft.receivedAt().toEpochMilli());
                String id = uuid.toString();
                long seq = head.lastSeq() + 1;
                byte[] hash = append.templates().get(d).hash(head.lastHash(), id, seq);
                AuditEvent event = event(tenant, id, seq, head.lastHash(), hash, draft);
                rows.add(new EventRow(seq, uuid, head.lastHash(), hash, append.columns().get(d)));
                head = new ChainHead(seq, hash);
                out.add(new Appended(event, false));
                if (key != null) {
                    byKey.put(key, event);
                }
            }
            results.set(index, List.copyOf(out));
        }
        return head;
    }

    private static ChainHead lockHead(EventAppendDao dao, String tenant) {
        return dao.lockHead(tenant).orElseGet(() -> {
            dao.createHead(tenant, EventHasher.GENESIS);
            return dao.lockHead(tenant).orElseThrow();
        });
    }

    private static Map<String, AuditEvent> storedByIdempotencyKey(EventAppendDao dao, String tenant,
                                                                List<Append> appends, List<Integer> indexes) {
        List<String> keys = new ArrayList<>();
        for (int index : indexes) {
            for (EventDraft draft : appends.get(index).drafts()) {
                draft.idempotencyKey().ifPresent(keys::add);
            }
        }
        Map<String, AuditEvent> byKey = new HashMap<>();
        if (!keys.isEmpty()) {
            for (AuditEvent stored : dao.findByIdempotencyKeys(tenant, keys.toArray(String[]::new))) {
                byKey.put(stored.idempotencyKey(), stored);
            }
        }
        return byKey;
    }

    private static AuditEvent event(String tenant, String id, long seq, byte[] prevHash, byte[] hash, EventDraft draft) {
        return new AuditEvent(
                id,
                tenant,
                seq,
                draft.occurredAt(),
                draft.receivedAt(),
                draft.category(),
                draft.action(),
                draft.outcome(),
                draft.actor(),
                draft.resource().orElse(null),
                draft.source().orElse(null),
                draft.requestId().orElse(null),
                draft.reason().orElse(null),
                draft.changes().orElse(null),
                draft.metadata().orElse(null),
                draft.idempotencyKey().orElse(null),
                prevHash,
                hash);
    }
}
