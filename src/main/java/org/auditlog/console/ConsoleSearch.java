package org.auditlog.console;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.FilterParser;

/**
 * A console search as the page's address holds it: a time range (a quick pick such as {@code 24h},
 * or {@code custom} with {@code from} and {@code to}), so always bounded, and the API's filters under
 * the API's names, with {@code meta} as {@code key=value}. The address is the permalink; {@link #api()}
 * is the same search in the API's parameters.
 */
public record ConsoleSearch(String range, Instant from, Instant to, Map<String, String> filters) {
    /** The quick picks, in the order the page offers them. */
    public static final Map<String, Duration> QUICK = quickPicks();
    /** The form's filter fields, in the order the page shows them; {@code meta} is {@code key=value}. */
    public static final List<String> FIELDS = List.of("actorId", "action", "resourceType", "resourceId", "category",
            "outcome", "ip", "meta");
    /** The longest custom range: a year and a day. */
    static final Duration LONGEST = Duration.ofDays(367);

    public ConsoleSearch {
        requireNonNull(range, "range is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        filters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(filters)); // in the form's order, for stable links
    }

    private static Map<String, Duration> quickPicks() {
        Map<String, Duration> picks = new LinkedHashMap<>();
        picks.put("1h", Duration.ofHours(1));
        picks.put("24h", Duration.ofHours(24));
        picks.put("7d", Duration.ofDays(7));
        picks.put("30d", Duration.ofDays(30));
        return picks;
    }

    /** Reads the page's parameters; a bad range or filter is a rejection naming the field. */
    public static ConsoleSearch parse(Map<String, List<String>> parameters, Instant now) {
        String range = first(parameters, "range").orElse(null);
        Optional<String> fromText = first(parameters, "from");
        Optional<String> toText = first(parameters, "to");
        if (range == null) {
            range = fromText.isPresent() || toText.isPresent() ? "custom" : "24h";
        }
        Instant from;
        Instant to;
        if (QUICK.containsKey(range)) {
            to = now.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            from = to.minus(QUICK.get(range));
        } else if (range.equals("custom")) {
            from = time(fromText, "from");
            to = time(toText, "to");
            if (!from.isBefore(to)) {
                throw Rejection.badParameter("from", "must be before to");
            }
            if (Duration.between(from, to).compareTo(LONGEST) > 0) {
                throw Rejection.badParameter("to", "must be at most 367 days after from");
            }
        } else {
            throw Rejection.badParameter("range", "must be one of " + String.join(", ", QUICK.keySet()) + " or custom");
        }
        Map<String, String> filters = new LinkedHashMap<>();
        for (String field : FIELDS) {
            first(parameters, field).filter(v -> !v.isBlank()).ifPresent(v -> filters.put(field, v.trim()));
        }
        var search = new ConsoleSearch(range, from, to, filters);
        search.filter(); // the API's own checks, naming the field
        return search;
    }

    /** The search in the API's query parameters (bounded by {@code from} and {@code to}). */
    public Map<String, List<String>> api() {
        Map<String, List<String>> api = new LinkedHashMap<>();
        api.put("from", List.of(Timestamps.format(from)));
        api.put("to", List.of(Timestamps.format(to)));
        filters.forEach((name, value) -> {
            if (name.equals("meta")) {
                int equals = value.indexOf('=');
                if (equals <= 0) {
                    throw Rejection.badParameter("meta", "must be key=value");
                }
                api.put("meta." + value.substring(0, equals).trim(), List.of(value.substring(equals + 1).trim()));
            } else {
                api.put(name, List.of(value));
            }
        });
        return api;
    }

    /** The search as the API's filter, read by the API's own parser. */
    public EventFilter filter() {
        return FilterParser.parse(api(), java.util.Set.of());
    }

    /** This search with one filter set (a facet's click), or removed when {@code value} is null. */
    public ConsoleSearch with(String field, String value) {
        Map<String, String> changed = new LinkedHashMap<>(filters);
        if (value == null) {
            changed.remove(field);
        } else {
            changed.put(field, value);
        }
        return new ConsoleSearch(range, from, to, changed);
    }

    /** The page's query string: the range as chosen (a quick pick stays relative) and the filters. */
    public String query() {
        List<String> parts = new ArrayList<>();
        parts.add("range=" + encode(range));
        if (range.equals("custom")) {
            parts.add("from=" + encode(Timestamps.format(from)));
            parts.add("to=" + encode(Timestamps.format(to)));
        }
        filters.forEach((k, v) -> parts.add(encode(k) + "=" + encode(v)));
        return String.join("&", parts);
    }

    /** The same events for good: the range as fixed times, so the link shows them later too. */
    public String permalinkQuery() {
        return new ConsoleSearch("custom", from, to, filters).query();
    }

    public String filter(String field) {
        return filters.getOrDefault(field, "");
    }

    /** The search as recorded with a page view: the range and each filter. */
    public ObjectNode describeJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("range", range).put("from", Timestamps.format(from)).put("to", Timestamps.format(to));
        filters.forEach(json::put);
        return json;
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static Optional<String> first(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** An instant with an offset, or a date-time without one (a browser's datetime-local), read as UTC. */
    private static Instant time(Optional<String> text, String name) {
        if (text.isEmpty() || text.get().isBlank()) {
            throw Rejection.badParameter(name, "is required for a custom range");
        }
        String trimmed = text.get().trim();
        return Timestamps.parse(trimmed).or(() -> browserTime(trimmed))
                .orElseThrow(() -> Rejection.badParameter(name, "must be a date and time, like 2026-12-01T09:00 (UTC)"));
    }

    /** A date-time without an offset, as a browser's {@code datetime-local} input sends it, read as UTC. */
    static Optional<Instant> browserTime(String text) {
        try {
            return Optional.of(LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
