package org.auditlog.common;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Small typed access to a JSON object body whose members are few and simple. */
public final class RequestBodies {
    private final JsonNode node;

    private RequestBodies(JsonNode node) {
        this.node = node;
    }

    /** The body as an object that has only the given members; 422 naming every other member. */
    public static RequestBodies object(JsonNode node, List<String> allowed) {
        if (!node.isObject()) {
            throw Rejection.invalid(List.of(new Problem("", "must be a JSON object")));
        }
        List<Problem> problems = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                problems.add(new Problem(name, "unknown field"));
            }
        }
        if (!problems.isEmpty()) {
            throw Rejection.invalid(problems);
        }
        return new RequestBodies(node);
    }

    /** The member as text, or null when absent or null; 422 when it is not a string. */
    public String string(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw Rejection.invalid(List.of(new Problem(name, "must be a string")));
        }
        return value.textValue();
    }

    /** The member as a whole number, or null when absent or null; 422 when it is anything else. */
    public Long integer(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw Rejection.invalid(List.of(new Problem(name, "must be an integer")));
        }
        return value.longValue();
    }

    /** The member as a list of strings, or null when absent or null; 422 when it is anything else. */
    public List<String> strings(String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw Rejection.invalid(List.of(new Problem(name, "must be an array of strings")));
        }
        List<String> result = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw Rejection.invalid(List.of(new Problem(name + "[" + i + "]", "must be a string")));
            }
            result.add(value.get(i).textValue());
        }
        return result;
    }
}
