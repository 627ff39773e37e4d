package org.auditlog.export;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.auditlog.common.Rejection;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.QueryParameters;

/** A streamed export: the format and the filter. */
public record StreamRequest(ExportFormat format, EventFilter filter) {
    public StreamRequest {
        requireNonNull(format, "format is null");
        requireNonNull(filter, "filter is null");
    }

    /** From query parameters: {@code format} (CSV when absent), given at most once, and the filters. */
    public static StreamRequest parse(Map<String, List<String>> parameters) {
        var query = QueryParameters.of(parameters);
        ExportFormat format = ExportFormat.fromWire(query.single("format").orElse("csv"))
                .orElseThrow(() -> Rejection.badParameter("format", "must be csv, ndjson or json"));
        return new StreamRequest(format, query.filter(Set.of("format")));
    }
}
