package org.auditlog.alerting;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.event.EventIds;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.FilterParser;

/** Reads a rule from its JSON form, listing every problem by field; and writes the canonical form back. */
final class RuleParser {
    private static final Set<String> FIELDS = Set.of("name", "filter", "window", "threshold", "groupBy", "severity",
            "channels", "cooldown", "enabled");
    private static final Set<String> THRESHOLD_FIELDS = Set.of("type", "gt", "minEvents");
    static final Set<String> GROUPS = Set.of("actorId", "ip", "resourceId");
    private static final ObjectMapper STORED = Jackson.newObjectMapper();
    private static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");
    private static final Duration SHORTEST_WINDOW = Duration.ofSeconds(10);
    private static final Duration LONGEST_WINDOW = Duration.ofDays(7);

    private RuleParser() {
    }

    /**
     * A rule the service stored itself: it was checked when it was stored, so one that no longer reads
     * is a fault of the service or its database, which fails the evaluation of that rule alone.
     */
    static AlertRule stored(String definition) {
        try {
            return parse(STORED.readTree(definition));
        } catch (JsonProcessingException | Rejection e) {
            throw new IllegalStateException("a stored alert rule does not read: " + e.getMessage(), e);
        }
    }

    static AlertRule parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Rejection.invalid(List.of(new Problem("", "must be a JSON object")));
        }
        List<Problem> problems = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                problems.add(new Problem(name, "unknown field"));
            }
        }
        String name = text(body, "name", problems);
        if (name == null || name.isBlank() || name.length() > 200) {
            problems.add(new Problem("name", "is required: 1 to 200 characters"));
        }
        EventFilter filter = EventFilter.none();
        JsonNode filterNode = body.get("filter");
        if (filterNode != null && filterNode.isObject() && (filterNode.has("from") || filterNode.has("to"))) {
            problems.add(new Problem(filterNode.has("from") ? "filter.from" : "filter.to",
                    "is not a rule filter: the window sets the time"));
        } else {
            try {
                filter = FilterParser.parseObject(filterNode, "filter");
            } catch (Rejection e) {
                problems.addAll(e.details());
            }
        }
        Duration window = duration(body, "window", null, problems);
        if (window != null && (window.compareTo(SHORTEST_WINDOW) < 0 || window.compareTo(LONGEST_WINDOW) > 0)) {
            problems.add(new Problem("window", "must be from PT10S to P7D"));
        }
        Duration cooldown = duration(body, "cooldown", Duration.ofMinutes(15), problems);
        if (cooldown != null && (cooldown.isNegative() || cooldown.compareTo(Duration.ofDays(30)) > 0)) {
            problems.add(new Problem("cooldown", "must be from PT0S to P30D"));
        }
        String type = null;
        double gt = 0;
        long minEvents = 0;
        JsonNode threshold = body.get("threshold");
        if (threshold == null || !threshold.isObject()) {
            problems.add(new Problem("threshold", "is required: {\"type\": \"count\" | \"ratio\", \"gt\": number}"));
        } else {
            threshold.fieldNames().forEachRemaining(field -> {
                if (!THRESHOLD_FIELDS.contains(field)) {
                    problems.add(new Problem("threshold." + field, "unknown field"));
                }
            });
            type = text(threshold, "threshold.type", problems);
            if (!"count".equals(type) && !"ratio".equals(type)) {
                problems.add(new Problem("threshold.type", "must be count or ratio"));
            }
            JsonNode gtNode = threshold.get("gt");
            if (gtNode == null || !gtNode.isNumber() || !Double.isFinite(gtNode.doubleValue()) || gtNode.doubleValue() < 0) {
                problems.add(new Problem("threshold.gt", "is required: a number of at least 0"));
            } else {
                gt = gtNode.doubleValue();
                if ("ratio".equals(type) && gt >= 1) {
                    problems.add(new Problem("threshold.gt", "must be below 1 for a ratio"));
                }
            }
            JsonNode min = threshold.get("minEvents");
            if (min != null && !min.isNull()) {
                if (!min.isIntegralNumber() || min.longValue() < 0) {
                    problems.add(new Problem("threshold.minEvents", "must be a whole number of at least 0"));
                } else {
                    minEvents = min.longValue();
                }
            }
        }
        Optional<String> groupBy = Optional.empty();
        JsonNode group = body.get("groupBy");
        if (group != null && !group.isNull()) {
            if (!group.isTextual() || !GROUPS.contains(group.textValue())) {
                problems.add(new Problem("groupBy", "must be null, actorId, ip or resourceId"));
            } else {
                groupBy = Optional.of(group.textValue());
            }
        }
        String severity = Optional.ofNullable(text(body, "severity", problems)).orElse("warning");
        if (!SEVERITIES.contains(severity)) {
            problems.add(new Problem("severity", "must be info, warning or critical"));
        }
        List<UUID> channels = new ArrayList<>();
        JsonNode channelNodes = body.get("channels");
        if (channelNodes != null && !channelNodes.isNull()) {
            if (!channelNodes.isArray()) {
                problems.add(new Problem("channels", "must be an array of channel ids"));
            } else {
                for (int i = 0; i < channelNodes.size(); i++) {
                    JsonNode id = channelNodes.get(i);
                    Optional<UUID> parsed = id.isTextual() ? EventIds.parse(id.textValue()) : Optional.empty();
                    if (parsed.isEmpty()) {
                        problems.add(new Problem("channels[" + i + "]", "must be a channel id"));
                    } else {
                        channels.add(parsed.get());
                    }
                }
            }
        }
        boolean enabled = true;
        JsonNode enabledNode = body.get("enabled");
        if (enabledNode != null && !enabledNode.isNull()) {
            if (!enabledNode.isBoolean()) {
                problems.add(new Problem("enabled", "must be true or false"));
            } else {
                enabled = enabledNode.booleanValue();
            }
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return new AlertRule(name, filter, window, type, gt, "ratio".equals(type) ? Math.max(minEvents, 1) : minEvents,
                groupBy, severity, channels, cooldown, enabled);
    }

    /** The rule as stored and shown. */
    static ObjectNode write(AlertRule rule) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("name", rule.name());
        node.set("filter", rule.filter().describe());
        node.put("window", rule.window().toString());
        ObjectNode threshold = node.putObject("threshold");
        threshold.put("type", rule.thresholdType());
        threshold.put("gt", rule.greaterThan());
        threshold.put("minEvents", rule.minEvents());
        if (rule.groupBy().isPresent()) {
            node.put("groupBy", rule.groupBy().get());
        } else {
            node.putNull("groupBy");
        }
        node.put("severity", rule.severity());
        rule.channels().forEach(id -> node.withArray("channels").add(id.toString()));
        if (rule.channels().isEmpty()) {
            node.putArray("channels");
        }
        node.put("cooldown", rule.cooldown().toString());
        node.put("enabled", rule.enabled());
        return node;
    }

    /** A string member of {@code node}; {@code path} is its dotted name, whose last part is the member. */
    private static String text(JsonNode node, String path, List<Problem> problems) {
        JsonNode value = node.get(path.substring(path.lastIndexOf('.') + 1));
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new Problem(path, "must be a string"));
            return null;
        }
        return value.textValue();
    }

    private static Duration duration(JsonNode body, String field, Duration fallback, List<Problem> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                problems.add(new Problem(field, "is required: an ISO-8601 duration such as PT5M"));
            }
            return fallback;
        }
        try {
            return Duration.parse(value.asText());
        } catch (DateTimeParseException e) {
            problems.add(new Problem(field, "must be an ISO-8601 duration such as PT5M"));
            return null;
        }
    }
}
