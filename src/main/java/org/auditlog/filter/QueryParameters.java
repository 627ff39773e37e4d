package org.auditlog.filter;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.auditlog.common.Rejection;

/**
 * A request's query parameters, each name with the values it was given. Every parameter but
 * {@code meta.<key>} means one value, so a second one is refused rather than one of them dropped.
 */
public final class QueryParameters {
    /** The error of a parameter given more than once. */
    public static final String GIVEN_TWICE = "must be given once";

    private final Map<String, List<String>> parameters;

    private QueryParameters(Map<String, List<String>> parameters) {
        this.parameters = requireNonNull(parameters, "parameters is null");
    }

    public static QueryParameters of(Map<String, List<String>> parameters) {
        return new QueryParameters(parameters);
    }

    /** The value of a parameter given at most once; empty when absent, a 400 naming it when repeated. */
    public Optional<String> single(String name) {
        List<String> values = parameters.getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw Rejection.badParameter(name, GIVEN_TWICE);
        }
        return values.stream().findFirst();
    }

    /**
     * A page size: {@code fallback} when absent, otherwise a whole number from 1 to {@code max}, or a 400
     * naming the parameter, in the same words wherever a list is paged.
     */
    public static int pageSize(String name, Optional<String> text, int fallback, int max) {
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int size = Integer.parseInt(text.get());
            if (size >= 1 && size <= max) {
                return size;
            }
        } catch (NumberFormatException e) {
            // falls through to the 400
        }
        throw Rejection.badParameter(name, "must be a whole number from 1 to " + max);
    }

    /** The filter among the parameters; the names in {@code alsoAllowed} are the caller's to read. */
    public EventFilter filter(Set<String> alsoAllowed) {
        return FilterParser.parse(parameters, alsoAllowed);
    }
}
