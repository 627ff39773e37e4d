package org.auditlog.stream;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.auditlog.access.Requester;
import org.auditlog.common.LimitsConfiguration;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.database.Database;
import org.auditlog.database.ReadTimeout;
import org.auditlog.database.TenantLocks;
import org.auditlog.event.EventIds;
import org.auditlog.event.Resource;
import org.auditlog.trail.AuditTrail;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A tenant's SIEM streams, for its admins: defined, changed, paused, resumed, replayed and deleted,
 * each change recorded in the tenant's log as an {@code admin} event (without the secret).
 */
public final class StreamsService {
    /** The scope of the tenant lock under which streams are counted and named. */
    private static final String DEFINITIONS = "streams";

    private final Jdbi jdbi;
    private final AuditTrail trail;
    private final LimitsConfiguration limits;
    private final ObjectMapper mapper;

    public StreamsService(Jdbi jdbi, AuditTrail trail, LimitsConfiguration limits, ObjectMapper mapper) {
        this.jdbi = requireNonNull(jdbi, "jdbi is null");
        this.trail = requireNonNull(trail, "trail is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
        Database.prepare(jdbi, StreamDao.class, TenantLocks.class);
    }

    public record Streams(List<StreamView> streams) {
    }

    public Streams list(Requester requester) {
        Instant now = Timestamps.now();
        return new Streams(ReadTimeout.read(jdbi, StreamDao.class, dao -> dao.list(requester.tenant())).stream()
                .map(s -> StreamView.of(s, now, mapper)).toList());
    }

    public StreamView get(Requester requester, String id) {
        return StreamView.of(stored(requester, id), Timestamps.now(), mapper);
    }

    public StreamView create(Requester requester, StreamDefinition definition) {
        UUID id = UUID.randomUUID();
        jdbi.useTransaction(handle -> {
            StreamDao dao = locked(handle, requester.tenant());
            if (dao.count(requester.tenant()) >= limits.getStreams()) {
                throw Rejection.invalid(List.of(new Problem("limits.streams", "this tenant already keeps "
                        + limits.getStreams() + " streams, the most it may; delete one first")));
            }
            uniqueName(dao, requester.tenant(), definition.name(), id);
            dao.insert(id, requester.tenant(), definition.name(), definition.type().wireName(),
                    definition.format().wireName(), definition.filter().describe().toString(),
                    definition.blocksRetention(), definition.settings().toString(), definition.secret().orElse(null),
                    requester.reference(), Timestamps.now());
        });
        record(requester, "stream.created", id, definition.name(), described(definition));
        return get(requester, id.toString());
    }

    /** Changes the definition; the cursor stays. An absent secret keeps the stored one. */
    public StreamView update(Requester requester, String id, StreamDefinition definition) {
        Stream existing = stored(requester, id);
        if (existing.type() != definition.type()) {
            throw Rejection.invalid(List.of(new Problem("type", "cannot change; create another stream")));
        }
        jdbi.useTransaction(handle -> {
            StreamDao dao = locked(handle, requester.tenant());
            uniqueName(dao, requester.tenant(), definition.name(), existing.id());
            if (dao.update(requester.tenant(), existing.id(), definition.name(), definition.format().wireName(),
                    definition.filter().describe().toString(), definition.blocksRetention(),
                    definition.settings().toString(), definition.secret().orElse(null), Timestamps.now()) == 0) {
                throw Rejection.notFound("stream");
            }
        });
        ObjectNode details = described(definition);
        details.put("secretChanged", definition.secret().isPresent());
        record(requester, "stream.updated", existing.id(), definition.name(), details);
        return get(requester, id);
    }

    public void delete(Requester requester, String id) {
        Stream existing = stored(requester, id);
        if (jdbi.withExtension(StreamDao.class, dao -> dao.delete(requester.tenant(), existing.id())) == 0) {
            throw Rejection.notFound("stream");
        }
        record(requester, "stream.deleted", existing.id(), existing.name(), null);
    }

    public StreamView pause(Requester requester, String id) {
        Stream existing = stored(requester, id);
        jdbi.useExtension(StreamDao.class, dao -> dao.pause(requester.tenant(), existing.id(),
                "paused by " + requester.reference(), Timestamps.now()));
        record(requester, "stream.paused", existing.id(), existing.name(), null);
        return get(requester, id);
    }

    public StreamView resume(Requester requester, String id) {
        Stream existing = stored(requester, id);
        jdbi.useExtension(StreamDao.class, dao -> dao.resume(requester.tenant(), existing.id(), Timestamps.now()));
        record(requester, "stream.resumed", existing.id(), existing.name(), null);
        return get(requester, id);
    }

    /** Sends again from {@code fromSeq}: the cursor moves back to just before it (1 to the head + 1). */
    public StreamView replay(Requester requester, String id, long fromSeq) {
        Stream existing = stored(requester, id);
        long head = existing.headSeq() == null ? 0 : existing.headSeq();
        if (fromSeq < 1 || fromSeq > head + 1) {
            throw Rejection.invalid(List.of(new Problem("fromSeq", "must be from 1 to " + (head + 1)
                    + " (the tenant's newest seq + 1)")));
        }
        jdbi.useExtension(StreamDao.class, dao -> dao.replay(requester.tenant(), existing.id(), fromSeq, Timestamps.now()));
        record(requester, "stream.replayed", existing.id(), existing.name(), JsonNodeFactory.instance.objectNode()
                .put("fromSeq", fromSeq).put("previousDeliveredThroughSeq", existing.deliveredThroughSeq()));
        return get(requester, id);
    }

    private Stream stored(Requester requester, String id) {
        return EventIds.parse(id).flatMap(uuid -> jdbi.withExtension(StreamDao.class, dao -> dao.find(requester.tenant(), uuid)))
                .orElseThrow(() -> Rejection.notFound("stream"));
    }

    /** The DAO on {@code handle} once the tenant's stream definitions are locked until it commits. */
    private static StreamDao locked(Handle handle, String tenant) {
        handle.attach(TenantLocks.class).lock(DEFINITIONS, tenant);
        return handle.attach(StreamDao.class);
    }

    private static void uniqueName(StreamDao dao, String tenant, String name, UUID id) {
        if (dao.nameTaken(tenant, name, id)) {
            throw Rejection.invalid(List.of(new Problem("name", "another stream of this tenant has this name")));
        }
    }

    /** What the log keeps of a definition: everything but the secret. */
    private static ObjectNode described(StreamDefinition definition) {
        ObjectNode details = JsonNodeFactory.instance.objectNode();
        details.put("type", definition.type().wireName()).put("format", definition.format().wireName())
                .put("blocksRetention", definition.blocksRetention());
        details.set("filters", definition.filter().describe());
        details.setAll(definition.settings());
        return details;
    }

    private void record(Requester requester, String action, UUID id, String name, ObjectNode details) {
        trail.record(requester.tenant(), "admin", action, requester.actor(), new Resource("stream", id.toString(), name),
                details);
    }
}
