package org.auditlog.openapi;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the code cannot say of one operation: its name and words, the query parameters it reads itself (and words
 * for those it declares), its request body, its answers when it succeeds, and the refusals of its own beyond those
 * every operation of its kind has.
 */
record Operation(String operationId, String summary, String description, List<QueryParameter> query,
                 Optional<String> requestSchema, List<Answer> answers, Set<Integer> refusals, boolean setsAtPath) {
    Operation {
        requireNonNull(operationId, "operationId is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(description, "description is null");
        query = List.copyOf(query);
        requireNonNull(requestSchema, "requestSchema is null");
        answers = List.copyOf(answers);
        refusals = Set.copyOf(refusals);
    }

    /** A query parameter: its JSON schema, its words, and whether it must be given. */
    record QueryParameter(String name, Map<String, Object> schema, String description, boolean required) {
        QueryParameter {
            requireNonNull(name, "name is null");
            schema = Map.copyOf(schema);
            requireNonNull(description, "description is null");
        }
    }

    /**
     * A successful answer: its status, its words and its body by media type, each the name of a schema of
     * schemas.json, or {@link #FILE} for bytes, or none for an answer without a body.
     */
    record Answer(int status, String description, Map<String, String> content) {
        static final String FILE = "(file)";

        Answer {
            requireNonNull(description, "description is null");
            content = Map.copyOf(content);
        }
    }

    static Builder named(String operationId, String summary) {
        return new Builder(operationId, summary);
    }

    static final class Builder {
        private final String operationId;
        private final String summary;
        private String description = "";
        private final List<QueryParameter> query = new ArrayList<>();
        private Optional<String> requestSchema = Optional.empty();
        private final List<Answer> answers = new ArrayList<>();
        private final Set<Integer> refusals = new TreeSet<>();
        private boolean setsAtPath;

        private Builder(String operationId, String summary) {
            this.operationId = operationId;
            this.summary = summary;
        }

        Builder description(String text) {
            this.description = text;
            return this;
        }

        Builder query(String name, Map<String, Object> schema, String text) {
            query.add(new QueryParameter(name, schema, text, false));
            return this;
        }

        Builder requiredQuery(String name, Map<String, Object> schema, String text) {
            query.add(new QueryParameter(name, schema, text, true));
            return this;
        }

        Builder query(List<QueryParameter> parameters) {
            query.addAll(parameters);
            return this;
        }

        Builder body(String schema) {
            this.requestSchema = Optional.of(schema);
            return this;
        }

        Builder answer(int status, String text, String schema) {
            answers.add(new Answer(status, text, Map.of("application/json", schema)));
            return this;
        }

        Builder answer(int status, String text, Map<String, String> content) {
            answers.add(new Answer(status, text, content));
            return this;
        }

        Builder empty(int status, String text) {
            answers.add(new Answer(status, text, Map.of()));
            return this;
        }

        Builder refuses(Integer... statuses) {
            refusals.addAll(List.of(statuses));
            return this;
        }

        /** The path names what the request creates or sets, so a name not known yet is no 404. */
        Builder setsAtPath() {
            this.setsAtPath = true;
            return this;
        }

        Operation build() {
            return new Operation(operationId, summary, description, query, requestSchema, answers, refusals, setsAtPath);
        }
    }

    static Map<String, Object> string() {
        return Map.of("type", "string");
    }

    static Map<String, Object> string(String format) {
        return Map.of("type", "string", "format", format);
    }

    static Map<String, Object> oneOf(String... values) {
        return Map.of("type", "string", "enum", List.of(values));
    }

    static Map<String, Object> wholeNumber(long minimum, long maximum, long fallback) {
        return Map.of("type", "integer", "minimum", minimum, "maximum", maximum, "default", fallback);
    }

    static Map<String, Object> wholeNumber(long minimum) {
        return Map.of("type", "integer", "format", "int64", "minimum", minimum);
    }

    static Map<String, Object> bool() {
        return Map.of("type", "boolean");
    }
}
