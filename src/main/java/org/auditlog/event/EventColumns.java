package org.auditlog.event;

import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizer;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizerFactory;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizingAnnotation;

/**
 * Puts the event's columns into a DAO's statements, in {@link EventField}'s order: {@code <eventColumns>}
 * as {@link StoredEventMapper} reads them, {@code <linkColumns>} a row of {@code chain_links} in their shape, {@code <eventColumnsAsText>} each already as the text the
 * exports write (times in the API's format, UTC with milliseconds as {@code Timestamps.format};
 * hashes in hex; JSON as its text). A DAO selects them with this annotation on the type or the method.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@SqlStatementCustomizingAnnotation(EventColumns.Factory.class)
public @interface EventColumns {
    /** Every field's column, JSON columns as text named as the column. */
    String STORED = Factory.list(f -> f.kind() == EventField.Kind.JSON ? f.column() + "::text as " + f.column() : f.column());
    /**
     * A row of {@code chain_links} (what retention keeps of an event it deleted between kept ones) in
     * the shape of {@link #STORED}: its tenant, seq and hashes, null for the rest.
     */
    String LINK = Factory.list(f -> switch (f) {
        case TENANT, SEQ, PREV_HASH, HASH -> f.column();
        default -> switch (f.kind()) {
            case ID -> "null::uuid";
            case TIME -> "null::timestamptz";
            case JSON -> "null::text";
            default -> "null";
        };
    });
    /** Every field's column formatted by PostgreSQL as the text a format writes. */
    String AS_TEXT = Factory.list(f -> switch (f.kind()) {
        case ID, JSON -> f.column() + "::text";
        case TIME -> "to_char(" + f.column() + " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
        case HASH -> "encode(" + f.column() + ", 'hex')";
        case TEXT, NUMBER -> f.column();
    });

    final class Factory implements SqlStatementCustomizerFactory {
        private static final SqlStatementCustomizer DEFINE = statement -> statement
                .define("eventColumns", STORED).define("linkColumns", LINK).define("eventColumnsAsText", AS_TEXT);

        private static String list(Function<EventField, String> column) {
            return EventField.ALL.stream().map(column).collect(Collectors.joining(", "));
        }

        @Override
        public SqlStatementCustomizer createForType(Annotation annotation, Class<?> sqlObjectType) {
            return DEFINE;
        }

        @Override
        public SqlStatementCustomizer createForMethod(Annotation annotation, Class<?> sqlObjectType, Method method) {
            return DEFINE;
        }
    }
}
