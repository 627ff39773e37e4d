package org.auditlog.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.auditlog.common.Timestamps;

/**
 * The admin pages' forms read into the JSON bodies the API takes, so that the API's own parsing checks
 * them and names each problem by the field the API would name. A field left empty is left out, as a
 * client would leave it out; a number that does not read as one is passed as the text typed, for the
 * API's parsing to refuse by name.
 */
final class AdminForms {
    /** The filters a legal hold takes, as the API names them. */
    static final List<String> HOLD_FILTERS = List.of("actorId", "resourceType", "resourceId", "category", "from", "to");
    /** The filters the rule form offers (a rule's window sets the time, so no from or to). */
    static final List<String> RULE_FILTERS = List.of("action", "actorId", "outcome", "category", "resourceType",
            "resourceId", "ip");

    private final Map<String, List<String>> form;

    AdminForms(Map<String, List<String>> form) {
        this.form = form;
    }

    /** {@code {"retainDays": N}} for {@code PolicyRequest.parse}. */
    JsonNode policy() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        number(body, "retainDays", value("retainDays"));
        return body;
    }

    String category() {
        return value("category").strip();
    }

    /** {@code {"name", "reason", "filters": {...}}} for {@code HoldRequest.parse}; times from a browser are read as UTC. */
    JsonNode hold() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", value("name"));
        text(body, "reason", value("reason"));
        ObjectNode filters = body.putObject("filters");
        for (String field : HOLD_FILTERS) {
            String typed = value(field).strip();
            text(filters, field, field.equals("from") || field.equals("to")
                    ? ConsoleSearch.browserTime(typed).map(Timestamps::format).orElse(typed) : typed);
        }
        return body;
    }

    /** A rule's JSON form for {@code RuleRequest.parse}: name, filter, window, threshold, group, severity, channels. */
    JsonNode rule() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", value("name"));
        ObjectNode filter = body.putObject("filter");
        RULE_FILTERS.forEach(field -> text(filter, field, value(field).strip()));
        text(body, "window", value("window").strip());
        ObjectNode threshold = body.putObject("threshold");
        text(threshold, "type", value("thresholdType"));
        number(threshold, "gt", value("gt"));
        number(threshold, "minEvents", value("minEvents"));
        text(body, "groupBy", value("groupBy"));
        text(body, "severity", value("severity"));
        values("channels").forEach(body.putArray("channels")::add);
        text(body, "cooldown", value("cooldown").strip());
        return body;
    }

    /** A webhook ({@code url}, {@code secret}) or e-mail channel ({@code to}, addresses split at commas and spaces). */
    JsonNode channel() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        String type = value("type");
        body.put("type", type);
        if (type.equals("webhook")) {
            body.put("url", value("url").strip());
            body.put("secret", value("secret"));
        } else if (type.equals("email")) {
            var to = body.putArray("to");
            Arrays.stream(value("to").split("[,\\s]+")).filter(a -> !a.isEmpty()).forEach(to::add);
        }
        return body;
    }

    /** {@code {"name", "roles": [...]}} for {@code KeyRequest.parse}. */
    JsonNode key() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("name", value("name"));
        values("roles").forEach(body.putArray("roles")::add);
        return body;
    }

    private String value(String name) {
        List<String> values = values(name);
        return values.isEmpty() || values.get(0) == null ? "" : values.get(0);
    }

    private List<String> values(String name) {
        return form.getOrDefault(name, List.of());
    }

    private static void text(ObjectNode node, String field, String text) {
        if (!text.isBlank()) {
            node.put(field, text);
        }
    }

    /** A whole number, else a decimal, else the text as typed, which the API's parsing refuses by name. */
    private static void number(ObjectNode node, String field, String text) {
        String typed = text.strip();
        if (typed.isEmpty()) {
            return;
        }
        try {
            node.put(field, Long.parseLong(typed));
        } catch (NumberFormatException notWhole) {
            try {
                double value = Double.parseDouble(typed);
                node.set(field, Double.isFinite(value) ? node.numberNode(value) : node.textNode(typed));
            } catch (NumberFormatException notNumber) {
                node.put(field, typed);
            }
        }
    }
}
