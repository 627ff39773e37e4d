package org.auditlog.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes export rows as they come. CSV is RFC 4180 (CRLF, a header, quotes doubled) with cells that a
 * spreadsheet would run as a formula prefixed with {@code '}; NDJSON and JSON write each event as the
 * API shows it, so the chain can be verified from the file (docs/integrity.md).
 */
public abstract class ExportWriter implements AutoCloseable {
    public static final List<String> CSV_COLUMNS = List.of("id", "seq", "occurredAt", "receivedAt", "tenant",
            "category", "action", "outcome", "actorType", "actorId", "actorName", "resourceType", "resourceId",
            "resourceName", "sourceIp", "userAgent", "requestId", "reason", "metadata", "changes", "prevHash", "hash");
    private static final JsonFactory JSON = new JsonFactory();

    public abstract void write(ExportRow row) throws IOException;

    @Override
    public abstract void close() throws IOException;

    public static ExportWriter open(ExportFormat format, OutputStream out) throws IOException {
        return switch (format) {
            case CSV -> new Csv(out);
            case NDJSON -> new Json(out, false);
            case JSON -> new Json(out, true);
        };
    }

    /** A cell a spreadsheet would evaluate ({@code = + - @}, tab, CR first) gets a leading quote. */
    static String guard(String cell) {
        if (cell == null || cell.isEmpty()) {
            return cell;
        }
        char first = cell.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r'
                ? "'" + cell : cell;
    }

    private static final class Csv extends ExportWriter {
        private final CsvGenerator generator;

        Csv(OutputStream out) throws IOException {
            CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true).setLineSeparator("\r\n");
            CSV_COLUMNS.forEach(schema::addColumn);
            CsvMapper mapper = CsvMapper.builder()
                    .enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .build();
            this.generator = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8);
            generator.setSchema(schema.build());
        }

        @Override
        public void write(ExportRow r) throws IOException {
            CsvGenerator g = generator;
            g.writeStartArray();
            cell(r.id());
            g.writeString(Long.toString(r.seq()));
            cell(r.occurredAt());
            cell(r.receivedAt());
            cell(r.tenant());
            cell(r.category());
            cell(r.action());
            cell(r.outcome());
            cell(r.actorType());
            cell(r.actorId());
            cell(r.actorName());
            cell(r.resourceType());
            cell(r.resourceId());
            cell(r.resourceName());
            cell(r.sourceIp());
            cell(r.userAgent());
            cell(r.requestId());
            cell(r.reason());
            cell(r.metadata());
            cell(r.changes());
            cell(r.prevHash());
            cell(r.hash());
            g.writeEndArray();
        }

        private void cell(String value) throws IOException {
            if (value == null) {
                generator.writeNull();
            } else {
                generator.writeString(guard(value));
            }
        }

        @Override
        public void close() throws IOException {
            generator.close();
        }
    }

    private static final class Json extends ExportWriter {
        private final JsonGenerator generator;
        private final boolean array;

        Json(OutputStream out, boolean array) throws IOException {
            this.generator = JSON.createGenerator(out, JsonEncoding.UTF8);
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            this.array = array;
            if (array) {
                generator.writeStartArray();
            } else {
                generator.setRootValueSeparator(null);
            }
        }

        @Override
        public void write(ExportRow r) throws IOException {
            JsonGenerator g = generator;
            g.writeStartObject();
            g.writeStringField("id", r.id());
            g.writeStringField("tenant", r.tenant());
            g.writeNumberField("seq", r.seq());
            g.writeStringField("occurredAt", r.occurredAt());
            g.writeStringField("receivedAt", r.receivedAt());
            g.writeStringField("category", r.category());
            g.writeStringField("action", r.action());
            g.writeStringField("outcome", r.outcome());
            g.writeObjectFieldStart("actor");
            g.writeStringField("id", r.actorId());
            g.writeStringField("type", r.actorType());
            optional(g, "name", r.actorName());
            optional(g, "email", r.actorEmail());
            g.writeEndObject();
            if (r.resourceType() != null) {
                g.writeObjectFieldStart("resource");
                g.writeStringField("type", r.resourceType());
                optional(g, "id", r.resourceId());
                optional(g, "name", r.resourceName());
                g.writeEndObject();
            }
            if (r.sourceIp() != null || r.userAgent() != null) {
                g.writeObjectFieldStart("source");
                optional(g, "ip", r.sourceIp());
                optional(g, "userAgent", r.userAgent());
                g.writeEndObject();
            }
            optional(g, "requestId", r.requestId());
            optional(g, "reason", r.reason());
            if (r.changes() != null) {
                g.writeFieldName("changes");
                g.writeRawValue(r.changes());
            }
            if (r.metadata() != null) {
                g.writeFieldName("metadata");
                g.writeRawValue(r.metadata());
            }
            optional(g, "idempotencyKey", r.idempotencyKey());
            g.writeStringField("prevHash", r.prevHash());
            g.writeStringField("hash", r.hash());
            g.writeEndObject();
            if (!array) {
                g.writeRaw('\n');
            }
        }

        private static void optional(JsonGenerator g, String name, String value) throws IOException {
            if (value != null) {
                g.writeStringField(name, value);
            }
        }

        @Override
        public void close() throws IOException {
            if (array) {
                generator.writeEndArray();
                generator.writeRaw('\n');
            }
            generator.close();
        }
    }
}
