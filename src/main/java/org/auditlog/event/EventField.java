package org.auditlog.event;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The event's schema, stated once: every field of a stored event, in the order the API, the exports
 * and the stored-event statements write them, with its JSON name (dotted inside {@code actor},
 * {@code resource} and {@code source}), its flat name (a CSV column), its column in
 * {@code audit_events}, the kind of value it holds, and for a field a client sends, the rule the
 * ingest validator applies to it.
 *
 * <p>Adding a field here adds it to the API's JSON, to the chain's hash (which hashes that JSON), to
 * the stored-event statements, the COPY that writes new rows, NDJSON and JSON exports, and (when it
 * is in {@link #CSV}) to CSV exports. The value type {@link AuditEvent} holds it; docs/integrity.md
 * and the contract describe it.
 */
public enum EventField {
    ID("id", "id", "id", Kind.ID, Input.NONE, AuditEvent::id),
    TENANT("tenant", "tenant", "tenant", Kind.TEXT, Input.NONE, AuditEvent::tenant),
    SEQ("seq", "seq", "seq", Kind.NUMBER, Input.NONE, AuditEvent::seq),
    OCCURRED_AT("occurredAt", "occurredAt", "occurred_at", Kind.TIME, Input.optional(1, 64),
            AuditEvent::occurredAtInstant),
    RECEIVED_AT("receivedAt", "receivedAt", "received_at", Kind.TIME, Input.NONE, AuditEvent::receivedAtInstant),
    CATEGORY("category", "category", "category", Kind.TEXT, Input.optional(1, 64), AuditEvent::category),
    ACTION("action", "action", "action", Kind.TEXT, Input.required(1, 128), AuditEvent::action),
    OUTCOME("outcome", "outcome", "outcome", Kind.TEXT, Input.optional(1, 16), AuditEvent::outcome),
    ACTOR_ID("actor.id", "actorId", "actor_id", Kind.TEXT, Input.required(1, 256), e -> e.actor().id()),
    ACTOR_TYPE("actor.type", "actorType", "actor_type", Kind.TEXT, Input.optional(1, 64), e -> e.actor().type()),
    ACTOR_NAME("actor.name", "actorName", "actor_name", Kind.TEXT, Input.optional(0, 256), e -> e.actor().name()),
    ACTOR_EMAIL("actor.email", "actorEmail", "actor_email", Kind.TEXT, Input.optional(0, 320),
            e -> e.actor().email()),
    RESOURCE_TYPE("resource.type", "resourceType", "resource_type", Kind.TEXT, Input.required(1, 64),
            e -> e.resource() == null ? null : e.resource().type()),
    RESOURCE_ID("resource.id", "resourceId", "resource_id", Kind.TEXT, Input.optional(0, 256),
            e -> e.resource() == null ? null : e.resource().id()),
    RESOURCE_NAME("resource.name", "resourceName", "resource_name", Kind.TEXT, Input.optional(0, 256),
            e -> e.resource() == null ? null : e.resource().name()),
    SOURCE_IP("source.ip", "sourceIp", "source_ip", Kind.TEXT, Input.optional(1, 64),
            e -> e.source() == null ? null : e.source().ip()),
    USER_AGENT("source.userAgent", "userAgent", "user_agent", Kind.TEXT, Input.optional(0, 512),
            e -> e.source() == null ? null : e.source().userAgent()),
    REQUEST_ID("requestId", "requestId", "request_id", Kind.TEXT, Input.optional(0, 128), AuditEvent::requestId),
    REASON("reason", "reason", "reason", Kind.TEXT, Input.optional(0, 1024), AuditEvent::reason),
    CHANGES("changes", "changes", "changes", Kind.JSON, Input.FREE, AuditEvent::changes),
    METADATA("metadata", "metadata", "metadata", Kind.JSON, Input.FREE, AuditEvent::metadata),
    IDEMPOTENCY_KEY("idempotencyKey", "idempotencyKey", "idempotency_key", Kind.TEXT, Input.optional(1, 128),
            AuditEvent::idempotencyKey),
    PREV_HASH("prevHash", "prevHash", "prev_hash", Kind.HASH, Input.NONE, AuditEvent::prevHashBytes),
    HASH("hash", "hash", "hash", Kind.HASH, Input.NONE, AuditEvent::hashBytes);

    /** What a field holds, which decides how each format writes it. */
    public enum Kind {
        /** The event's id: text in JSON, a {@code uuid} column. */
        ID,
        TEXT,
        /** A JSON number, a {@code bigint} column. */
        NUMBER,
        /** An instant: text in the API's format ({@code Timestamps.format}), a {@code timestamptz} column. */
        TIME,
        /** A JSON object, a {@code jsonb} column. */
        JSON,
        /** 32 bytes: lower-case hex in JSON and CSV, a {@code bytea} column. */
        HASH
    }

    /**
     * Whether a client sends the field, and the length rule of its text (in code points; JSON fields
     * have rules of their own in the validator). {@code required} inside an object means required when
     * the object is there.
     */
    public record Input(boolean accepted, boolean required, int minLength, int maxLength) {
        static final Input NONE = new Input(false, false, 0, 0);
        /** Free-form JSON, checked by the validator's rules for it (depth, size, what PostgreSQL stores). */
        static final Input FREE = new Input(true, false, 0, 0);

        static Input required(int min, int max) {
            return new Input(true, true, min, max);
        }

        static Input optional(int min, int max) {
            return new Input(true, false, min, max);
        }
    }

    /** The fields in CSV exports, in the contract's column order (it leaves out {@code actorEmail}). */
    public static final List<EventField> CSV = List.of(ID, SEQ, OCCURRED_AT, RECEIVED_AT, TENANT, CATEGORY, ACTION,
            OUTCOME, ACTOR_TYPE, ACTOR_ID, ACTOR_NAME, RESOURCE_TYPE, RESOURCE_ID, RESOURCE_NAME, SOURCE_IP, USER_AGENT,
            REQUEST_ID, REASON, METADATA, CHANGES, PREV_HASH, HASH);
    /** Every field, in order. */
    public static final List<EventField> ALL = List.of(values());

    private final String json;
    private final String flat;
    private final String column;
    private final Kind kind;
    private final Input input;
    private final Function<AuditEvent, Object> value;
    private final String object;
    private final String member;

    EventField(String json, String flat, String column, Kind kind, Input input, Function<AuditEvent, Object> value) {
        this.json = json;
        this.flat = flat;
        this.column = column;
        this.kind = kind;
        this.input = input;
        this.value = value;
        int dot = json.indexOf('.');
        this.object = dot < 0 ? null : json.substring(0, dot);
        this.member = json.substring(dot + 1);
    }

    /** The JSON path, such as {@code actor.id}; the name problems of an ingest body are reported under. */
    public String json() {
        return json;
    }

    /** The name in flat formats, such as {@code actorId}: the CSV header. */
    public String flat() {
        return flat;
    }

    /** The column of {@code audit_events}. */
    public String column() {
        return column;
    }

    public Kind kind() {
        return kind;
    }

    public Input input() {
        return input;
    }

    /** The object the field is a member of ({@code actor}, {@code resource}, {@code source}), if any. */
    public Optional<String> object() {
        return Optional.ofNullable(object);
    }

    /** The member's name inside its object, or the top-level name. */
    public String member() {
        return member;
    }

    /** The 1-based position of the field in a statement that selects {@link #ALL} in order. */
    public int position() {
        return ordinal() + 1;
    }

    /**
     * The field's value in {@code event}: a {@code String}, a {@code Long} (NUMBER), an {@code Instant}
     * (TIME), an {@code ObjectNode} (JSON) or a {@code byte[]} (HASH); null when absent.
     */
    public Object of(AuditEvent event) {
        return value.apply(event);
    }

    /** The names a client may send at the top level of an event, or inside {@code object}. */
    public static List<String> inputNames(Optional<String> object) {
        return Arrays.stream(values())
                .filter(f -> f.input.accepted() && f.object().equals(object))
                .map(EventField::member).toList();
    }

    /** The names a client may send at the top level of an event: a member for each object, and the rest. */
    public static List<String> topLevelInputNames() {
        return Arrays.stream(values()).filter(f -> f.input.accepted())
                .map(f -> f.object == null ? f.member : f.object).distinct().toList();
    }
}
