package org.auditlog.export;

import java.util.Arrays;
import java.util.Optional;

public enum ExportFormat {
    CSV("text/csv; charset=utf-8", "csv"),
    NDJSON("application/x-ndjson", "ndjson"),
    JSON("application/json", "json");

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
        return Arrays.stream(values()).filter(f -> f.wireName().equals(text)).findFirst();
    }
}
