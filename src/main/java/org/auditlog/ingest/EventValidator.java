package org.auditlog.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.auditlog.common.Problem;
import org.auditlog.common.Timestamps;
import org.auditlog.event.Actor;
import org.auditlog.event.EventDraft;
import org.auditlog.event.EventField;
import org.auditlog.event.Outcome;
import org.auditlog.event.Resource;
import org.auditlog.event.Source;

/**
 * Checks an event body against the contract and lists every problem at once, each named by its JSON
 * path. Works on the JSON tree rather than on bound objects so that unknown fields and wrong types
 * are reported together with broken rules.
 */
public final class EventValidator {
    static final Pattern ACTION = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    static final Pattern CATEGORY = Pattern.compile("[a-z0-9_]{1,64}");
    static final int MAX_METADATA_BYTES = 16 * 1024;
    /**
     * How deep {@code metadata} and {@code changes} may nest, the member's own object being level 1
     * and each object or array inside one more. Far below what Jackson reads or writes (1000), so
     * an event always renders inside a page, an export line or the hash's canonical form.
     */
    static final int MAX_DEPTH = 32;
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Set<String> EVENT_FIELDS = Set.copyOf(EventField.topLevelInputNames());
    private static final Set<String> ACTOR_FIELDS = Set.copyOf(EventField.inputNames(Optional.of("actor")));
    private static final Set<String> RESOURCE_FIELDS = Set.copyOf(EventField.inputNames(Optional.of("resource")));
    private static final Set<String> SOURCE_FIELDS = Set.copyOf(EventField.inputNames(Optional.of("source")));
    private static final Set<String> CHANGES_FIELDS = Set.of("before", "after");

    private final Duration maxFutureSkew;
    private final ObjectMapper mapper;

    public EventValidator(Duration maxFutureSkew, ObjectMapper mapper) {
        this.maxFutureSkew = maxFutureSkew;
        this.mapper = mapper;
    }

    /**
     * The event as a draft, or empty with the reasons added to {@code problems}, each field prefixed
     * with {@code path} (such as {@code events[3]}).
     */
    public Optional<EventDraft> validate(JsonNode node, Instant receivedAt, String path, List<Problem> problems) {
        Checker check = new Checker(path, problems);
        if (!check.object(node, "")) {
            return Optional.empty();
        }
        check.unknownFields(node, "", EVENT_FIELDS);

        String action = check.text(node, EventField.ACTION);
        if (action != null && !ACTION.matcher(action).matches()) {
            check.add("action", "must be lower-case words joined by dots, like user.login");
        }

        Actor actor = null;
        JsonNode actorNode = node.get("actor");
        if (actorNode == null || actorNode.isNull()) {
            check.add("actor", "is required");
        } else if (check.object(actorNode, "actor")) {
            check.unknownFields(actorNode, "actor", ACTOR_FIELDS);
            String id = check.text(actorNode, EventField.ACTOR_ID);
            String type = check.text(actorNode, EventField.ACTOR_TYPE);
            String name = check.text(actorNode, EventField.ACTOR_NAME);
            String email = check.text(actorNode, EventField.ACTOR_EMAIL);
            if (id != null) {
                actor = new Actor(id, type == null ? Actor.DEFAULT_TYPE : type, name, email);
            }
        }

        Instant occurredAt = receivedAt;
        String occurred = check.text(node, EventField.OCCURRED_AT);
        if (occurred != null) {
            Optional<Instant> parsed = Timestamps.parse(occurred);
            if (parsed.isEmpty()) {
                check.add("occurredAt", Timestamps.EXPECTED);
            } else if (parsed.get().isAfter(receivedAt.plus(maxFutureSkew))) {
                check.add("occurredAt", "is more than " + maxFutureSkew.toSeconds() + " seconds in the future");
            } else if (parsed.get().isBefore(EARLIEST)) {
                check.add("occurredAt", "must not be before 1970-01-01T00:00:00Z");
            } else {
                occurredAt = parsed.get();
            }
        }

        String category = check.text(node, EventField.CATEGORY);
        if (category != null && !CATEGORY.matcher(category).matches()) {
            check.add("category", "must be 1 to 64 of a-z, 0-9 and _");
        }

        Outcome outcome = Outcome.SUCCESS;
        String outcomeText = check.text(node, EventField.OUTCOME);
        if (outcomeText != null) {
            Optional<Outcome> parsed = Outcome.fromWire(outcomeText);
            if (parsed.isEmpty()) {
                check.add("outcome", "must be one of success, failure, denied, error");
            } else {
                outcome = parsed.get();
            }
        }

        Resource resource = null;
        JsonNode resourceNode = node.get("resource");
        if (resourceNode != null && !resourceNode.isNull() && check.object(resourceNode, "resource")) {
            check.unknownFields(resourceNode, "resource", RESOURCE_FIELDS);
            String type = check.text(resourceNode, EventField.RESOURCE_TYPE);
            String id = check.text(resourceNode, EventField.RESOURCE_ID);
            String name = check.text(resourceNode, EventField.RESOURCE_NAME);
            if (type != null) {
                resource = new Resource(type, id, name);
            }
        }

        Source source = null;
        JsonNode sourceNode = node.get("source");
        if (sourceNode != null && !sourceNode.isNull() && check.object(sourceNode, "source")) {
            check.unknownFields(sourceNode, "source", SOURCE_FIELDS);
            String ip = check.text(sourceNode, EventField.SOURCE_IP);
            String userAgent = check.text(sourceNode, EventField.USER_AGENT);
            Optional<String> canonicalIp = ip == null ? Optional.empty() : Source.canonicalIp(ip);
            if (ip != null && canonicalIp.isEmpty()) {
                check.add("source.ip", "must be an IPv4 or IPv6 address");
            }
            if (ip != null || userAgent != null) {
                source = new Source(canonicalIp.orElse(null), userAgent);
            }
        }

        String requestId = check.text(node, EventField.REQUEST_ID);
        String reason = check.text(node, EventField.REASON);
        String idempotencyKey = check.text(node, EventField.IDEMPOTENCY_KEY);

        ObjectNode changes = null;
        JsonNode changesNode = node.get(EventField.CHANGES.json());
        if (changesNode != null && !changesNode.isNull() && check.object(changesNode, "changes")) {
            check.unknownFields(changesNode, "changes", CHANGES_FIELDS);
            for (String side : CHANGES_FIELDS) {
                JsonNode value = changesNode.get(side);
                if (value != null && !value.isNull()) {
                    check.object(value, "changes." + side);
                }
            }
            check.freeJson(changesNode, "changes");
            changes = (ObjectNode) changesNode;
        }

        ObjectNode metadata = null;
        JsonNode metadataNode = node.get(EventField.METADATA.json());
        if (metadataNode != null && !metadataNode.isNull() && check.object(metadataNode, "metadata")) {
            if (serializedSize(metadataNode) > MAX_METADATA_BYTES) {
                check.add("metadata", "must be at most " + MAX_METADATA_BYTES + " bytes serialized");
            }
            check.freeJson(metadataNode, "metadata");
            metadata = (ObjectNode) metadataNode;
        }

        if (check.failed() || action == null || actor == null) {
            return Optional.empty();
        }
        return Optional.of(new EventDraft(action, actor, occurredAt, receivedAt,
                category == null ? "general" : category, outcome, Optional.ofNullable(resource),
                Optional.ofNullable(source), Optional.ofNullable(requestId), Optional.ofNullable(reason),
                Optional.ofNullable(changes), Optional.ofNullable(metadata), Optional.ofNullable(idempotencyKey)));
    }

    private int serializedSize(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node).length;
        } catch (JsonProcessingException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Collects problems under one path prefix. */
    private static final class Checker {
        private final String path;
        private final List<Problem> problems;
        private final int before;

        Checker(String path, List<Problem> problems) {
            this.path = path;
            this.problems = problems;
            this.before = problems.size();
        }

        void add(String field, String error) {
            problems.add(new Problem(field, error).under(path));
        }

        boolean failed() {
            return problems.size() > before;
        }

        boolean object(JsonNode node, String field) {
            if (!node.isObject()) {
                add(field, "must be a JSON object");
                return false;
            }
            return true;
        }

        void unknownFields(JsonNode node, String field, Set<String> known) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    add(field.isEmpty() ? name : field + "." + name, "unknown field");
                }
            }
        }

        /** A string member of {@code parent} (the event, or the object the field is a member of), by its rule. */
        String text(JsonNode parent, EventField eventField) {
            String field = eventField.json();
            int min = eventField.input().minLength();
            int max = eventField.input().maxLength();
            JsonNode value = parent.get(eventField.member());
            if (value == null || value.isNull()) {
                if (eventField.input().required()) {
                    add(field, "is required");
                }
                return null;
            }
            if (!value.isTextual()) {
                add(field, "must be a string");
                return null;
            }
            String text = value.textValue();
            int length = text.codePointCount(0, text.length());
            if (length < min || length > max) {
                add(field, min > 0 ? "must be " + min + " to " + max + " characters" : "must be at most " + max + " characters");
                return null;
            }
            if (!storable(text)) {
                add(field, "must not contain NUL characters or unpaired surrogates");
                return null;
            }
            return text;
        }

        /**
         * Free-form JSON (metadata, changes): any shape at most {@link #MAX_DEPTH} deep, holding only
         * what PostgreSQL and the hash can hold exactly. Too deep is one problem on the member itself.
         */
        void freeJson(JsonNode node, String field) {
            if (deeperThan(node, MAX_DEPTH)) {
                add(field, "must not nest deeper than " + MAX_DEPTH + " levels (the " + field + " object itself is level 1)");
                return;
            }
            storableJson(node, field);
        }

        /** Whether objects and arrays nest more than {@code levels} deep, {@code node} being the first level. */
        private static boolean deeperThan(JsonNode node, int levels) {
            if (!node.isContainerNode()) {
                return false;
            }
            if (levels == 0) {
                return true;
            }
            for (JsonNode child : node) {
                if (deeperThan(child, levels - 1)) {
                    return true;
                }
            }
            return false;
        }

        private void storableJson(JsonNode node, String field) {
            if (node.isTextual() && !storable(node.textValue())) {
                add(field, "must not contain NUL characters or unpaired surrogates");
            } else if (node.isNumber() && !Double.isFinite(node.doubleValue())) {
                add(field, "holds a number outside the range of a 64-bit float");
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    var entry = it.next();
                    if (!storable(entry.getKey())) {
                        add(field, "has a key with a NUL character or an unpaired surrogate");
                    } else {
                        storableJson(entry.getValue(), field + "." + entry.getKey());
                    }
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    storableJson(node.get(i), field + "[" + i + "]");
                }
            }
        }

        private static boolean storable(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == 0) {
                    return false;
                }
                if (Character.isHighSurrogate(c)) {
                    if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                        return false;
                    }
                    i++;
                } else if (Character.isLowSurrogate(c)) {
                    return false;
                }
            }
            return true;
        }
    }

}
