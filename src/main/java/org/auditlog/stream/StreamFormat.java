package org.auditlog.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.auditlog.common.WireNames;
import org.auditlog.event.AuditEvent;

/** The formats a SIEM stream sends each event in (docs/streams.md). */
public enum StreamFormat {
    /** The API's JSON of the event, byte for byte, so the chain can be verified from what a SIEM received. */
    NATIVE,
    /** One OCSF event (a JSON object), by {@link StreamMapping}. */
    OCSF,
    /** One CEF line, by {@link StreamMapping}. */
    CEF;

    private static final WireNames<StreamFormat> WIRE_NAMES = new WireNames<>(StreamFormat.class);

    public String wireName() {
        return WIRE_NAMES.of(this);
    }

    public static Optional<StreamFormat> fromWire(String text) {
        return WIRE_NAMES.find(text);
    }

    /** The event as this format sends it: JSON text for NATIVE and OCSF, one line without its end for CEF. */
    public String format(AuditEvent event, StreamProduct product, ObjectMapper mapper) {
        try {
            return switch (this) {
                case NATIVE -> mapper.writeValueAsString(event);
                case OCSF -> mapper.writeValueAsString(OcsfWriter.write(event, product, mapper));
                case CEF -> CefWriter.write(event, product);
            };
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
