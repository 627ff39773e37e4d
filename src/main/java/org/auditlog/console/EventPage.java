package org.auditlog.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.auditlog.event.AuditEvent;
import org.auditlog.integrity.EventEvidence;

/**
 * An event's page: every field as the API gives it, the raw JSON, {@code changes} as a field-by-field
 * before/after table, its place in the chain and its badge (see {@link EventEvidence}).
 */
public final class EventPage extends ConsolePage {
    public record Field(String name, String value) {
    }

    public record Change(String field, String before, String after, boolean changed) {
    }

    private final AuditEvent event;
    private final EventEvidence evidence;
    private final List<Field> fields;
    private final List<Change> changes;
    private final String json;

    EventPage(Session session, AuditEvent event, EventEvidence evidence, ObjectMapper mapper) {
        super("event.ftlh", session, "Event " + event.seq(), "search");
        this.event = event;
        this.evidence = evidence;
        JsonNode tree = mapper.valueToTree(event);
        this.fields = new ArrayList<>();
        flatten("", tree, fields);
        this.changes = changes(tree.path("changes"));
        try {
            this.json = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every leaf of the event's JSON but {@code changes}, under its dotted path. */
    private static void flatten(String prefix, JsonNode node, List<Field> into) {
        var names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode value = node.get(name);
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            if (path.equals("changes")) {
                continue;
            }
            if (value.isObject() && !value.isEmpty()) {
                flatten(path, value, into);
            } else {
                into.add(new Field(path, text(value)));
            }
        }
    }

    /** The union of the fields of {@code before} and {@code after}, in name order, each marked if it changed. */
    static List<Change> changes(JsonNode changes) {
        JsonNode before = changes.path("before");
        JsonNode after = changes.path("after");
        var names = new TreeSet<String>();
        before.fieldNames().forEachRemaining(names::add);
        after.fieldNames().forEachRemaining(names::add);
        List<Change> rows = new ArrayList<>();
        for (String name : names) {
            JsonNode was = before.has(name) ? before.get(name) : MissingNode.getInstance();
            JsonNode is = after.has(name) ? after.get(name) : MissingNode.getInstance();
            rows.add(new Change(name, was.isMissingNode() ? "—" : text(was), is.isMissingNode() ? "—" : text(is),
                    !was.equals(is)));
        }
        return rows;
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    public AuditEvent getEvent() {
        return event;
    }

    public EventEvidence getEvidence() {
        return evidence;
    }

    /** {@code verified}, {@code broken}, {@code pending} or {@code too_far}: the badge's colour follows it. */
    public String getBadge() {
        return evidence.state().wireName();
    }

    public String getCheckpointTime() {
        return evidence.checkpointSignedAt() == null ? "" : evidence.checkpointTime();
    }

    public List<Field> getFields() {
        return fields;
    }

    public List<Change> getChanges() {
        return changes;
    }

    public String getJson() {
        return json;
    }

    /** For the search the officer came from: events of the same actor around the same time. */
    public Map<String, String> getRelated() {
        return Map.of("actor", "/console/?range=custom&from=" + ConsoleSearch.encode(
                        org.auditlog.common.Timestamps.format(event.occurredAtInstant().minusSeconds(3600)))
                + "&to=" + ConsoleSearch.encode(org.auditlog.common.Timestamps.format(event.occurredAtInstant().plusSeconds(3600)))
                + "&actorId=" + ConsoleSearch.encode(event.actor().id()));
    }
}
