package org.auditlog.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.jackson.Jackson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.event.Outcome;
import org.auditlog.event.Source;

/**
 * Reads filters from query parameters (or any map of names to values) and refuses anything it does
 * not know: a typo in a filter must not silently widen a compliance query.
 */
public final class FilterParser {
    public static final Set<String> FILTERS = Set.of("from", "to", "actorId", "actorType", "action", "category",
            "outcome", "resourceType", "resourceId", "ip", "requestId");
    private static final Pattern ACTION = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern META_KEY = Pattern.compile("[^\\u0000-\\u001f]{1,128}");
    private static final int MAX_VALUE = 1024;
    private static final ObjectMapper STORED = Jackson.newObjectMapper();

    private FilterParser() {
    }

    /**
     * The filter in {@code parameters}; names in {@code alsoAllowed} (such as {@code limit}) are left
     * to the caller, anything else is a 400 naming it. Each parameter may appear once, except
     * {@code meta.<key>} with different keys.
     */
    public static EventFilter parse(Map<String, List<String>> parameters, Set<String> alsoAllowed) {
        List<Problem> problems = new ArrayList<>();
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, String> meta = new TreeMap<>();
        for (var entry : parameters.entrySet()) {
            String name = entry.getKey();
            List<String> values = entry.getValue();
            if (alsoAllowed.contains(name)) {
                continue;
            }
            if (!FILTERS.contains(name) && !name.startsWith("meta.")) {
                problems.add(new Problem(name, "unknown parameter"));
                continue;
            }
            if (values.size() != 1) {
                problems.add(new Problem(name, QueryParameters.GIVEN_TWICE));
                continue;
            }
            String value = values.get(0);
            if (value.length() > MAX_VALUE || value.indexOf('\u0000') >= 0) {
                problems.add(new Problem(name, "must be at most " + MAX_VALUE + " characters without NUL"));
                continue;
            }
            if (name.startsWith("meta.")) {
                String key = name.substring("meta.".length());
                if (!META_KEY.matcher(key).matches()) {
                    problems.add(new Problem(name, "must be meta.<key>=<value> with a key of 1 to 128 characters"));
                } else {
                    meta.put(key, value);
                }
            } else {
                single.put(name, value);
            }
        }
        Optional<Instant> from = time(single, "from", problems);
        Optional<Instant> to = time(single, "to", problems);
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            problems.add(new Problem("from", "must be before to"));
        }
        Optional<String> action = Optional.empty();
        Optional<String> actionPrefix = Optional.empty();
        String actionText = single.get("action");
        if (actionText != null) {
            if (actionText.endsWith(".*") && ACTION.matcher(actionText.substring(0, actionText.length() - 2)).matches()) {
                actionPrefix = Optional.of(actionText.substring(0, actionText.length() - 1));
            } else if (ACTION.matcher(actionText).matches()) {
                action = Optional.of(actionText);
            } else {
                problems.add(new Problem("action", "must be an action like user.login, or a prefix like user.*"));
            }
        }
        String outcome = single.get("outcome");
        if (outcome != null && Outcome.fromWire(outcome).isEmpty()) {
            problems.add(new Problem("outcome", "must be one of success, failure, denied, error"));
        }
        String ip = single.get("ip");
        if (ip != null) {
            Optional<String> canonical = Source.canonicalIp(ip);
            if (canonical.isEmpty()) {
                problems.add(new Problem("ip", "must be an IPv4 or IPv6 address"));
            }
            ip = canonical.orElse(null);
        }
        String category = single.get("category");
        if (category != null && !category.matches("[a-z0-9_]{1,64}")) {
            problems.add(new Problem("category", "must be 1 to 64 of a-z, 0-9 and _"));
        }
        for (String name : List.of("actorId", "actorType", "resourceType", "resourceId", "requestId")) {
            if (single.containsKey(name) && single.get(name).isEmpty()) {
                problems.add(new Problem(name, "must not be empty"));
            }
        }
        if (!problems.isEmpty()) {
            throw Rejection.malformed(problems);
        }
        return new EventFilter(from, to, Optional.ofNullable(single.get("actorId")),
                Optional.ofNullable(single.get("actorType")), action, actionPrefix, Optional.ofNullable(category),
                Optional.ofNullable(outcome), Optional.ofNullable(single.get("resourceType")),
                Optional.ofNullable(single.get("resourceId")), Optional.ofNullable(ip),
                Optional.ofNullable(single.get("requestId")), meta);
    }

    /**
     * A filter given as a JSON object in a request body (exports, holds, rules): the same names as the
     * query parameters, {@code meta} as an object of strings. Problems answer 422 with fields under
     * {@code path}, such as {@code filters.actorId}.
     */
    public static EventFilter parseObject(JsonNode node, String path) {
        if (node == null || node.isNull()) {
            return EventFilter.none();
        }
        List<Problem> problems = new ArrayList<>();
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (!node.isObject()) {
            throw Rejection.invalid(List.of(new Problem(path, "must be a JSON object")));
        }
        node.fields().forEachRemaining(entry -> {
            String name = entry.getKey();
            var value = entry.getValue();
            if (name.equals("meta") && value.isObject()) {
                value.fields().forEachRemaining(meta -> {
                    if (meta.getValue().isValueNode() && !meta.getValue().isNull()) {
                        parameters.put("meta." + meta.getKey(), List.of(meta.getValue().asText()));
                    } else {
                        problems.add(new Problem(path + ".meta." + meta.getKey(), "must be a string, number or boolean"));
                    }
                });
            } else if (value.isTextual()) {
                parameters.put(name, List.of(value.textValue()));
            } else if (!value.isNull()) {
                problems.add(new Problem(path + "." + name, FILTERS.contains(name) ? "must be a string" : "unknown field"));
            }
        });
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        try {
            return parse(parameters, Set.of());
        } catch (Rejection e) {
            throw Rejection.invalid(e.details().stream()
                    .map(p -> new Problem(path + "." + p.field(),
                            p.error().equals("unknown parameter") ? "unknown field" : p.error()))
                    .toList());
        }
    }

    /**
     * A filter the service stored itself (of a legal hold, an alert rule, a background export), as
     * {@link EventFilter#describe()} wrote it. It was checked when it was stored, so one that no
     * longer reads is a fault of the service or its database, not of a request: it fails the job that
     * reads it, which stops rather than act on a wider filter.
     */
    public static EventFilter stored(String json) {
        try {
            return parseObject(STORED.readTree(json), "filters");
        } catch (JsonProcessingException | Rejection e) {
            throw new IllegalStateException("a stored filter does not read: " + e.getMessage(), e);
        }
    }

    private static Optional<Instant> time(Map<String, String> single, String name, List<Problem> problems) {
        String text = single.get(name);
        if (text == null) {
            return Optional.empty();
        }
        Optional<Instant> parsed = Timestamps.parse(text);
        if (parsed.isEmpty()) {
            problems.add(new Problem(name, Timestamps.EXPECTED));
        }
        return parsed;
    }
}
