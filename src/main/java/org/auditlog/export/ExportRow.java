package org.auditlog.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.auditlog.event.EventField;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * An event as exports write it: every {@link EventField}'s value already as the text a format writes,
 * formatted by PostgreSQL ({@code <eventColumnsAsText>} of {@link EventColumns}), so a row goes from
 * the driver to the file with no parsing in between.
 */
public final class ExportRow {
    private final String[] values;

    private ExportRow(String[] values) {
        this.values = values;
    }

    /** The field's text; null when the event has none. */
    public String get(EventField field) {
        return values[field.ordinal()];
    }

    /** The event's place in its tenant's chain. */
    public long seq() {
        return Long.parseLong(get(EventField.SEQ));
    }

    public static final class Mapper implements RowMapper<ExportRow> {
        @Override
        public ExportRow map(ResultSet rs, StatementContext ctx) throws SQLException {
            String[] values = new String[EventField.ALL.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = rs.getString(i + 1);
            }
            return new ExportRow(values);
        }
    }
}
