package org.auditlog.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.OutputStream;
import org.auditlog.event.EventField;
import org.auditlog.event.EventJson;

/**
 * Writes export rows as they come. CSV is RFC 4180 (CRLF, a header, quotes doubled) with cells that a
 * spreadsheet would run as a formula prefixed with {@code '}; NDJSON and JSON write each event with
 * the API's own writer, {@link EventJson}, so the chain can be verified from the file
 * (docs/integrity.md).
 */
public abstract class ExportWriter implements AutoCloseable {
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
            EventField.CSV.forEach(field -> schema.addColumn(field.flat()));
            CsvMapper mapper = CsvMapper.builder()
                    .enable(CsvGenerator.Feature.ALWAYS_QUOTE_EMPTY_STRINGS)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .build();
            this.generator = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8);
            generator.setSchema(schema.build());
        }

        @Override
        public void write(ExportRow row) throws IOException {
            generator.writeStartArray();
            for (EventField field : EventField.CSV) {
                cell(row.get(field));
            }
            generator.writeEndArray();
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
        public void write(ExportRow row) throws IOException {
            EventJson.write(generator, null, row::get);
            if (!array) {
                generator.writeRaw('\n');
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
