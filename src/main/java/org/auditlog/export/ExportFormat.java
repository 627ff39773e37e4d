package org.auditlog.export;

import java.util.Optional;
import org.auditlog.common.WireNames;

public enum ExportFormat {
    CSV("text/csv; charset=utf-8", "csv"),
    NDJSON("application/x-ndjson", "ndjson"),
    JSON("application/json", "json");

    private static final WireNames<ExportFormat> WIRE_NAMES = new WireNames<>(ExportFormat.class, f -> f.extension);

    private final String contentType;
    private final String extension;

    ExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    public String wireName() {
        return extension;
    }

    public static Optional<ExportFormat> fromWire(String text) {
        return WIRE_NAMES.find(text);
    }
}
