package org.auditlog.export;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.auditlog.common.Rejection;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.FilterParser;

/** A streamed export: the format and the filter. */
public record StreamRequest(ExportFormat format, EventFilter filter) {
    public StreamRequest {
        requireNonNull(format, "format is null");
        requireNonNull(filter, "filter is null");
    }

    /** From query parameters: {@code format} (CSV when absent), given at most once, and the filters. */
    public static StreamRequest parse(Map<String, List<String>> parameters) {
        List<String> formats = parameters.getOrDefault("format", List.of());
        if (formats.size() > 1) {
            throw Rejection.badParameter("format", "must be given once");
        }
        ExportFormat format = ExportFormat.fromWire(formats.isEmpty() ? "csv" : formats.get(0))
                .orElseThrow(() -> Rejection.badParameter("format", "must be csv, ndjson or json"));
        return new StreamRequest(format, FilterParser.parse(parameters, Set.of("format")));
    }
}
