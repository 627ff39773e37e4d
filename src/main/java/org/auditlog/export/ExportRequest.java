package org.auditlog.export;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.auditlog.common.Problem;
import org.auditlog.common.Rejection;
import org.auditlog.common.RequestBodies;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.FilterParser;

/** A background export: the format of its file and the filter of its events. */
public record ExportRequest(ExportFormat format, EventFilter filter) {
    public ExportRequest {
        requireNonNull(format, "format is null");
        requireNonNull(filter, "filter is null");
    }

    /** From a request body {@code {"format": ..., "filters": {...}}}; a bad member is named. */
    public static ExportRequest parse(JsonNode body) {
        var request = RequestBodies.object(body, List.of("format", "filters"));
        String format = request.string("format");
        return new ExportRequest(ExportFormat.fromWire(format == null ? "" : format)
                .orElseThrow(() -> Rejection.invalid(List.of(new Problem("format", "must be csv, ndjson or json")))),
                FilterParser.parseObject(body.get("filters"), "filters"));
    }
}
