package org.auditlog.openapi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * One operation as the code serves it: its method and path, the parameters its Java method declares, the roles it
 * needs (none: no key), the media types it takes and gives, and the feature that serves it.
 */
public record Route(String method, String path, List<Parameter> parameters, Set<String> roles, List<String> consumes, List<String> produces, String feature) {
    public Route {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        parameters = List.copyOf(parameters);
        roles = Set.copyOf(roles);
        consumes = List.copyOf(consumes);
        produces = List.copyOf(produces);
        requireNonNull(feature, "feature is null");
    }

    /** A declared parameter: {@code in} is {@code path}, {@code query}, {@code header} or {@code cookie}. */
    public record Parameter(String in, String name) {
        public Parameter {
            requireNonNull(in, "in is null");
            requireNonNull(name, "name is null");
        }
    }

    /** {@code GET /api/v1/events/{id}}: how the table of operations names it. */
    public String key() {
        return method + " " + path;
    }

    public boolean authenticated() {
        return !roles.isEmpty();
    }

    public List<String> parameterNames(String in) {
        return parameters.stream().filter(p -> p.in().equals(in)).map(Parameter::name).toList();
    }
}
