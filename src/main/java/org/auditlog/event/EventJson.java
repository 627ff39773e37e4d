package org.auditlog.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.util.NameTransformer;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.auditlog.common.Timestamps;

/**
 * The one writer of an event's JSON, laid out by {@link EventField}: the API's responses, the chain's
 * hash (which canonicalizes this form without {@code prevHash} and {@code hash}), and NDJSON and JSON
 * exports all go through {@link #write}, so they agree byte for byte. A member that is absent is left
 * out; an object ({@code actor}, {@code resource}, {@code source}) is written when any member of it is
 * present.
 */
public final class EventJson {
    private static final HexFormat HEX = HexFormat.of();
    private static final List<List<EventField>> LAYOUT = layout();

    private EventJson() {
    }

    /**
     * Writes one event whose values {@code values} gives, each as {@link EventField#of} answers it or
     * already as the text a format writes (a number's digits, a JSON value's text, a formatted time,
     * a hash in hex). {@code provider} may be null outside a Jackson serializer.
     */
    public static void write(JsonGenerator g, SerializerProvider provider, Function<EventField, Object> values)
            throws IOException {
        g.writeStartObject();
        writeMembers(g, provider, values);
        g.writeEndObject();
    }

    /** {@link #write} without the braces: the members, for an object that holds the event's and more. */
    public static void writeMembers(JsonGenerator g, SerializerProvider provider, Function<EventField, Object> values)
            throws IOException {
        for (List<EventField> entry : LAYOUT) {
            EventField first = entry.get(0);
            if (first.object().isEmpty()) {
                Object value = values.apply(first);
                if (value != null) {
                    g.writeFieldName(first.member());
                    value(g, provider, first, value);
                }
                continue;
            }
            Object[] members = new Object[entry.size()];
            boolean present = false;
            for (int i = 0; i < members.length; i++) {
                members[i] = values.apply(entry.get(i));
                present |= members[i] != null;
            }
            if (present) {
                g.writeObjectFieldStart(first.object().orElseThrow());
                for (int i = 0; i < members.length; i++) {
                    if (members[i] != null) {
                        g.writeFieldName(entry.get(i).member());
                        value(g, provider, entry.get(i), members[i]);
                    }
                }
                g.writeEndObject();
            }
        }
    }

    private static void value(JsonGenerator g, SerializerProvider provider, EventField field, Object value)
            throws IOException {
        if (value instanceof String text) {
            switch (field.kind()) {
                case NUMBER -> g.writeNumber(text);
                case JSON -> g.writeRawValue(text);
                default -> g.writeString(text);
            }
        } else if (value instanceof Long number) {
            g.writeNumber(number);
        } else if (value instanceof Instant instant) {
            g.writeString(Timestamps.format(instant));
        } else if (value instanceof byte[] bytes) {
            g.writeString(HEX.formatHex(bytes));
        } else if (value instanceof JsonNode node) {
            if (provider == null) {
                g.writeTree(node);
            } else {
                node.serialize(g, provider);
            }
        } else {
            throw new IllegalArgumentException(field + " holds a " + value.getClass().getSimpleName());
        }
    }

    /** The fields grouped as JSON nests them: a top-level field alone, an object's members together. */
    private static List<List<EventField>> layout() {
        List<List<EventField>> layout = new ArrayList<>();
        for (EventField field : EventField.ALL) {
            List<EventField> last = layout.isEmpty() ? null : layout.get(layout.size() - 1);
            if (last != null && field.object().isPresent() && last.get(0).object().equals(field.object())) {
                last.add(field);
            } else {
                layout.add(new ArrayList<>(List.of(field)));
            }
        }
        return layout.stream().map(List::copyOf).toList();
    }

    /** Jackson's way to {@link #write} an {@link AuditEvent}, and its members alone where it is unwrapped. */
    public static final class Serializer extends JsonSerializer<AuditEvent> {
        @Override
        public void serialize(AuditEvent event, JsonGenerator g, SerializerProvider provider) throws IOException {
            write(g, provider, field -> field.of(event));
        }

        @Override
        public JsonSerializer<AuditEvent> unwrappingSerializer(NameTransformer names) {
            return new JsonSerializer<>() {
                @Override
                public void serialize(AuditEvent event, JsonGenerator g, SerializerProvider provider) throws IOException {
                    writeMembers(g, provider, field -> field.of(event));
                }

                @Override
                public boolean isUnwrappingSerializer() {
                    return true;
                }
            };
        }
    }
}
