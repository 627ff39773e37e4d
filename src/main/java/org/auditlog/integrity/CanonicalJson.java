package org.auditlog.integrity;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * RFC 8785 (JCS) written straight from a Jackson tree: the same text as
 * {@code new JsonCanonicalizer(mapper.writeValueAsString(node))}, without writing the tree as text and
 * parsing it back, which is what that library takes and what cost the most of an append's CPU.
 * Numbers are written as ECMAScript writes them ({@link EcmaScriptNumbers}); members are sorted by
 * their keys' UTF-16 code units ({@link String#compareTo}); strings escape only what RFC 8785 escapes.
 * {@code CanonicalJsonTest} holds it to that library over generated trees, which is why the library
 * is a test dependency only.
 */
public final class CanonicalJson {
    /** Integers up to 2^53 are exact as doubles and ECMAScript writes them as plain digits. */
    private static final long EXACT = 1L << 53;

    private CanonicalJson() {
    }

    /**
     * The RFC 8785 form of {@code node} in UTF-8: what checkpoints, receipts, verification states and
     * manifests are signed over.
     */
    public static byte[] utf8(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> keys = sortedKeys(node);
                out.append('{');
                for (int i = 0; i < keys.size(); i++) {
                    member(keys.get(i), node.get(keys.get(i)), i == 0 ? "" : ",", out);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(node.get(i), out);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case NUMBER -> number(node, out);
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("not JSON data: " + node.getNodeType());
        }
    }

    /** An object's keys in the order RFC 8785 writes its members: by UTF-16 code units. */
    static List<String> sortedKeys(JsonNode object) {
        List<String> keys = new ArrayList<>(object.size());
        object.fieldNames().forEachRemaining(keys::add);
        Collections.sort(keys);
        return keys;
    }

    /** {@code "key":value}, after {@code separator}. */
    static void member(String key, JsonNode value, String separator, StringBuilder out) {
        out.append(separator);
        string(key, out);
        out.append(':');
        write(value, out);
    }

    private static void number(JsonNode node, StringBuilder out) {
        if ((node.isInt() || node.isLong()) && node.longValue() >= -EXACT && node.longValue() <= EXACT) {
            out.append(node.longValue());
            return;
        }
        out.append(EcmaScriptNumbers.format(node.doubleValue()));
    }

    private static void string(String value, StringBuilder out) {
        out.append('"');
        int plain = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(value, plain, i).append('\\');
            switch (c) {
                case '"', '\\' -> out.append(c);
                case '\b' -> out.append('b');
                case '\t' -> out.append('t');
                case '\n' -> out.append('n');
                case '\f' -> out.append('f');
                case '\r' -> out.append('r');
                default -> out.append("u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
            plain = i + 1;
        }
        out.append(value, plain, value.length()).append('"');
    }
}
