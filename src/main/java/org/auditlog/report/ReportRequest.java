package org.auditlog.report;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.Timestamps;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.FilterParser;

/**
 * A report asked for: its period {@code [from, to)} by {@code occurredAt}, in UTC, its title, the
 * filters that narrow it, and optionally the {@code asOfSeq} of an earlier report to make it again
 * with the same counts.
 */
public record ReportRequest(String title, Instant from, Instant to, EventFilter filter, Optional<Long> asOfSeq) {
    static final String DEFAULT_TITLE = "Audit log report";
    static final Duration LONGEST = Duration.ofDays(367);
    private static final Set<String> FIELDS = Set.of("from", "to", "title", "filters", "asOfSeq");

    public ReportRequest {
        requireNonNull(title, "title is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(filter, "filter is null");
        requireNonNull(asOfSeq, "asOfSeq is null");
    }

    /** From a request body; problems answer 422 naming each field ({@code filters.actorId} for a filter's). */
    public static ReportRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw Rejection.invalid(List.of(new Problem("", "must be a JSON object with from and to")));
        }
        List<Problem> problems = new ArrayList<>();
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                problems.add(new Problem(name, "unknown field"));
            }
        });
        Optional<Instant> from = time(body, "from", problems);
        Optional<Instant> to = time(body, "to", problems);
        if (from.isPresent() && to.isPresent()) {
            if (!from.get().isBefore(to.get())) {
                problems.add(new Problem("to", "must be after from"));
            } else if (Duration.between(from.get(), to.get()).compareTo(LONGEST) > 0) {
                problems.add(new Problem("to", "must be at most 367 days after from"));
            }
        }
        String title = title(body, problems);
        Optional<Long> asOfSeq = Optional.empty();
        JsonNode seq = body.get("asOfSeq");
        if (seq != null && !seq.isNull()) {
            if (!seq.canConvertToLong() || !seq.isIntegralNumber() || seq.asLong() < 0) {
                problems.add(new Problem("asOfSeq", "must be a whole number, 0 or more"));
            } else {
                asOfSeq = Optional.of(seq.asLong());
            }
        }
        EventFilter filter = filters(body, problems);
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return new ReportRequest(title, from.orElseThrow(), to.orElseThrow(), filter, asOfSeq);
    }

    /** The body's {@code title}, the default when absent; a problem naming {@code title} when it is not one. */
    static String title(JsonNode body, List<Problem> problems) {
        JsonNode node = body.get("title");
        if (node == null || node.isNull()) {
            return DEFAULT_TITLE;
        }
        if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > 200
                || node.asText().chars().anyMatch(Character::isISOControl)) {
            problems.add(new Problem("title", "must be a string of 1 to 200 characters without control characters"));
            return DEFAULT_TITLE;
        }
        return node.asText().strip();
    }

    /**
     * The body's {@code filters}, none when absent; problems name {@code filters.<name>}. They may not
     * hold {@code from} or {@code to}: the report's period bounds it.
     */
    static EventFilter filters(JsonNode body, List<Problem> problems) {
        JsonNode filters = body.get("filters");
        if (filters == null || filters.isNull()) {
            return EventFilter.none();
        }
        if (filters.has("from") || filters.has("to")) {
            problems.add(new Problem("filters", "must not hold from or to: the report's period bounds it"));
            return EventFilter.none();
        }
        try {
            return FilterParser.parseObject(filters, "filters");
        } catch (Rejection e) {
            problems.addAll(e.details().isEmpty() ? List.of(new Problem("filters", e.getMessage())) : e.details());
            return EventFilter.none();
        }
    }

    private static Optional<Instant> time(JsonNode body, String name, List<Problem> problems) {
        JsonNode node = body.get(name);
        if (node == null || node.isNull()) {
            problems.add(new Problem(name, "is required"));
            return Optional.empty();
        }
        Optional<Instant> parsed = node.isTextual() ? Timestamps.parse(node.asText()) : Optional.empty();
        if (parsed.isEmpty()) {
            problems.add(new Problem(name, Timestamps.EXPECTED));
        }
        return parsed;
    }
}
