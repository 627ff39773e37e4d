package org.auditlog.console;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.event.EventIds;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Searches an officer saved under a name, per key: the page's query string, checked like a search. */
public final class SavedSearches {
    static final int MAX_PER_KEY = 100;

    public record Saved(UUID id, String name, String query) {
    }

    interface Dao {
        @SqlQuery("select id, name, query from console_saved_searches where key_id = :keyId order by name")
        @RegisterConstructorMapper(Saved.class)
        List<Saved> list(@Bind("keyId") UUID keyId);

        @SqlQuery("select count(*) from console_saved_searches where key_id = :keyId")
        int count(@Bind("keyId") UUID keyId);

        @SqlUpdate("insert into console_saved_searches (id, key_id, tenant, name, query, created_at) "
                + "values (:id, :keyId, :tenant, :name, :query, :now) "
                + "on conflict (key_id, name) do update set query = excluded.query")
        void save(@Bind("id") UUID id, @Bind("keyId") UUID keyId, @Bind("tenant") String tenant,
                  @Bind("name") String name, @Bind("query") String query, @Bind("now") Instant now);

        @SqlUpdate("delete from console_saved_searches where key_id = :keyId and id = :id")
        int delete(@Bind("keyId") UUID keyId, @Bind("id") UUID id);
    }

    private final Jdbi jdbi;

    public SavedSearches(Jdbi jdbi) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        Database.prepare(jdbi, Dao.class);
    }

    public List<Saved> list(Session session) {
        return jdbi.withExtension(Dao.class, dao -> dao.list(session.caller().keyId()));
    }

    /** Saves {@code search} under {@code name}, replacing a search of that name. */
    public void save(Session session, String name, ConsoleSearch search) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            throw Rejection.badParameter("name", "must be 1 to 100 characters");
        }
        var caller = session.caller();
        jdbi.useTransaction(handle -> {
            Dao dao = handle.attach(Dao.class);
            boolean replaces = dao.list(caller.keyId()).stream().anyMatch(s -> s.name().equals(trimmed));
            if (!replaces && dao.count(caller.keyId()) >= MAX_PER_KEY) {
                throw Rejection.badParameter("name", "a key may keep at most " + MAX_PER_KEY + " saved searches");
            }
            dao.save(UUID.randomUUID(), caller.keyId(), caller.tenant(), trimmed, search.query(), Timestamps.now());
        });
    }

    public void delete(Session session, String id) {
        UUID uuid = EventIds.parse(id).orElseThrow(() -> Rejection.notFound("saved search"));
        if (jdbi.withExtension(Dao.class, dao -> dao.delete(session.caller().keyId(), uuid)) == 0) {
            throw Rejection.notFound("saved search");
        }
    }
}
