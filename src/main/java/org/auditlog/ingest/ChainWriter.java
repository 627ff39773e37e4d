package org.auditlog.ingest;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.EventDraft;
import org.auditlog.event.EventIds;
import org.auditlog.integrity.EventHasher;
import org.auditlog.database.Database;
import org.jdbi.v3.core.Jdbi;

/**
 * Appends to tenants' chains. Two ways, both giving gapless {@code seq} in commit order:
 * <ul>
 *   <li>{@link #commit} locks each tenant's head row ({@code FOR UPDATE}, in tenant order, so no
 *   two writers deadlock) and chains onto it in one transaction;</li>
 *   <li>{@link #chain} chains onto a head the caller keeps in memory, and {@link #write} stores the
 *   rows and moves the head only from where they were chained onto. A caller can so chain the next
 *   rows while the previous ones are still being written, and their {@code COPY}s run side by
 *   side; the head row orders the commits.</li>
 * </ul>
 */
public final class ChainWriter implements EventSink {
    private final Jdbi jdbi;
    private final EventHasher hasher;

    public ChainWriter(Jdbi jdbi, EventHasher hasher) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.hasher = requireNonNull(hasher, "hasher is null");
        Database.prepare(jdbi, EventAppendDao.class);
    }

    /**
     * A tenant's drafts as one request sent them, each with its canonical form already worked out
     * but for the id and seq the chain gives it (see {@link EventHasher.Template}).
     */
    public record Append(String tenant, List<EventDraft> drafts, List<EventHasher.Template> templates) {
        public Append {
            requireNonNull(tenant, "tenant is null");
            drafts = List.copyOf(drafts);
            templates = List.copyOf(templates);
            if (drafts.size() != templates.size()) {
                throw new IllegalArgumentException("one template per draft");
            }
        }
    }

    /** Does the canonical work of an append before it waits for the chain, on the caller's thread. */
    public Append prepare(String tenant, List<EventDraft> drafts) {
        return new Append(tenant, drafts, drafts.stream()
                .map(draft -> hasher.template(event(tenant, "", 0, EventHasher.GENESIS, draft)))
                .toList());
    }

    @Override
    public List<Appended> append(String tenant, List<EventDraft> drafts) {
        return commit(List.of(prepare(tenant, drafts))).get(0);
    }

    /**
     * A tenant's appends chained onto a head: the rows to write, one answer per append, and the
     * head after the rows.
     */
    public record Chained(ChainHead from, ChainHead to, List<EventRow> rows, List<List<Appended>> results) {
        public Chained {
            requireNonNull(from, "from is null");
            requireNonNull(to, "to is null");
            rows = List.copyOf(rows);
            results = List.copyOf(results);
        }

        /** The events this chaining adds, without the repeats it answers with stored ones. */
        public List<AuditEvent> added() {
            return results.stream().flatMap(List::stream).filter(a -> !a.duplicate()).map(Appended::event).toList();
        }
    }

    /** A tenant's head was no longer where a write was chained onto; nothing of the write is stored. */
    public static final class HeadMoved extends RuntimeException {
        HeadMoved(String tenant) {
            super("the chain head of " + tenant + " moved since the write was chained");
        }
    }

    /** Commits all appends at once, each tenant's head locked; the answer holds one list per append, in the order given. */
    public List<List<Appended>> commit(List<Append> appends) {
        Map<String, List<Integer>> byTenant = new TreeMap<>();
        for (int i = 0; i < appends.size(); i++) {
            byTenant.computeIfAbsent(appends.get(i).tenant(), t -> new ArrayList<>()).add(i);
        }
        List<List<Appended>> results = new ArrayList<>(appends.size());
        appends.forEach(a -> results.add(null));
        jdbi.useTransaction(handle -> {
            EventAppendDao dao = handle.attach(EventAppendDao.class);
            for (var tenantAppends : byTenant.entrySet()) {
                String tenant = tenantAppends.getKey();
                List<Append> mine = tenantAppends.getValue().stream().map(appends::get).toList();
                ChainHead head = lockHead(dao, tenant);
                Chained chained = chain(tenant, mine, head, storedByIdempotencyKey(dao, tenant, mine));
                for (int i = 0; i < mine.size(); i++) {
                    results.set(tenantAppends.getValue().get(i), chained.results().get(i));
                }
                if (!chained.rows().isEmpty()) {
                    dao.insert(chained.rows());
                    dao.moveHead(tenant, chained.to());
                }
            }
        });
        return results;
    }

    /** A tenant's head as committed, without a lock; creates the tenant's chain when it has none. */
    public ChainHead head(String tenant) {
        return jdbi.withHandle(handle -> {
            EventAppendDao dao = handle.attach(EventAppendDao.class);
            return dao.readHead(tenant).orElseGet(() -> {
                dao.createHead(tenant, EventHasher.GENESIS);
                return dao.readHead(tenant).orElseThrow();
            });
        });
    }

    /** The committed events of a tenant under the idempotency keys of the appends, by key. */
    public Map<String, AuditEvent> stored(String tenant, List<Append> appends) {
        return jdbi.withHandle(handle -> storedByIdempotencyKey(handle.attach(EventAppendDao.class), tenant, appends));
    }

    /**
     * Chains one tenant's appends onto a head, in memory: every draft whose idempotency key is in
     * {@code byKey} (or earlier in these appends) is answered with the event stored under it, every
     * other draft becomes the next event. {@code byKey} gains the keys of the new events.
     */
    public Chained chain(String tenant, List<Append> appends, ChainHead from, Map<String, AuditEvent> byKey) {
        ChainHead head = from;
        List<EventRow> rows = new ArrayList<>();
        List<List<Appended>> results = new ArrayList<>(appends.size());
        for (Append append : appends) {
            if (!append.tenant().equals(tenant)) {
                throw new IllegalArgumentException("an append of " + append.tenant() + " chained onto " + tenant);
            }
            List<Appended> out = new ArrayList<>();
            for (int d = 0; d < append.drafts().size(); d++) {
                EventDraft draft = append.drafts().get(d);
                String key = draft.idempotencyKey().orElse(null);
                AuditEvent earlier = key == null ? null : byKey.get(key);
                if (earlier != null) {
                    out.add(new Appended(earlier, true));
                    continue;
                }
                String id = EventIds.next(draft.receivedAt().toEpochMilli()).toString();
                long seq = head.lastSeq() + 1;
                AuditEvent event = event(tenant, id, seq, head.lastHash(), draft)
                        .withHash(append.templates().get(d).hash(head.lastHash(), id, seq));
                head = new ChainHead(event.seq(), event.hashBytes());
                rows.add(EventRow.of(event));
                out.add(new Appended(event, false));
                if (key != null) {
                    byKey.put(key, event);
                }
            }
            results.add(List.copyOf(out));
        }
        return new Chained(from, head, rows, results);
    }

    /**
     * Writes chained rows in one transaction: copies them, waits for {@code turn} (the writes
     * chained before these must have ended), then locks the head row and moves it on if it is where
     * the rows were chained onto; otherwise nothing is written and {@link HeadMoved} is thrown. The
     * head is locked after the copy so that the copies of two writes run side by side. A chaining
     * that added no rows still checks the head, so its repeats of events still being written are
     * answered only once those are stored.
     */
    public void write(String tenant, Chained chained, Runnable turn) {
        jdbi.useTransaction(handle -> {
            EventAppendDao dao = handle.attach(EventAppendDao.class);
            if (!chained.rows().isEmpty()) {
                dao.insert(chained.rows());
            }
            turn.run();
            ChainHead head = dao.lockHead(tenant).orElseThrow(() -> new HeadMoved(tenant));
            if (head.lastSeq() != chained.from().lastSeq() || !Arrays.equals(head.lastHash(), chained.from().lastHash())) {
                throw new HeadMoved(tenant);
            }
            if (!chained.rows().isEmpty()) {
                dao.moveHead(tenant, chained.to());
            }
        });
    }

    private static ChainHead lockHead(EventAppendDao dao, String tenant) {
        return dao.lockHead(tenant).orElseGet(() -> {
            dao.createHead(tenant, EventHasher.GENESIS);
            return dao.lockHead(tenant).orElseThrow();
        });
    }

    private static Map<String, AuditEvent> storedByIdempotencyKey(EventAppendDao dao, String tenant, List<Append> appends) {
        List<String> keys = new ArrayList<>();
        for (Append append : appends) {
            for (EventDraft draft : append.drafts()) {
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

    private static AuditEvent event(String tenant, String id, long seq, byte[] prevHash, EventDraft draft) {
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
                null);
    }
}
