package org.auditlog.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.erdtman.jcs.JsonCanonicalizer;
import org.junit.jupiter.api.Test;

/**
 * The canonical writer against the RFC 8785 library it replaces on the append path: for generated
 * trees of every node kind (keys that UTF-16 and code point order sort apart, every escaped character,
 * integers on both sides of 2^53, doubles of any exponent, big decimals), the bytes must be the
 * library's over the tree written as text.
 */
class CanonicalJsonTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Characters the generated strings draw from: plain, escaped, multi-byte, surrogates paired and not. */
    private static final String[] PIECES = {"a", "Z", "0", " ", "/", "\"", "\\", "\b", "\t", "\n", "\f", "\r", "\u0000",
            "\u0001", "\u001f", "\u007f", "\u0080", "\u00e9", "\u2028", "\u4e2d", "\ud83d\ude00", "\uffff", "\ud800", "\udfff",
            "id", "seq"};

    @Test
    void generatedTreesAreWrittenAsTheLibraryCanonicalizesTheirText() throws Exception {
        Random random = new Random(8785);
        for (int i = 0; i < 3000; i++) {
            JsonNode tree = NODES.arrayNode().add(value(random, 0)); // the library takes an object or an array only
            assertThat(canonical(tree)).as("tree %s", tree).isEqualTo(library(tree));
        }
    }

    @Test
    void treesAsTheServiceParsesThemFromRequests() throws Exception {
        for (String text : new String[] {"{\"b\":1,\"a\":[1.0,-0.0,1e21,1e-7,123456789012345678901234567890,0.1]}",
                "{\"\\ud83d\\ude00\":1,\"\\uffff\":2,\"\\u00e9\":3,\"e\":4}", "[9007199254740993,-9007199254740993,"
                        + "9223372036854775807,-9223372036854775808,4.35e-320,1.7976931348623157e308]",
                "{\"s\":\"\\u0000\\u001f\\u007f\\\"\\\\/\\b\\t\\n\\f\\r\"}", "[true,false,null,{},[]]"}) {
            JsonNode tree = MAPPER.readTree(text);
            assertThat(canonical(tree)).as(text).isEqualTo(library(tree));
        }
    }

    @Test
    void aNumberJsonCannotWriteIsRefused() {
        assertThatThrownBy(() -> canonical(NODES.numberNode(Double.NaN))).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> canonical(NODES.numberNode(Double.POSITIVE_INFINITY))).isInstanceOf(RuntimeException.class);
    }

    static byte[] canonical(JsonNode tree) {
        StringBuilder out = new StringBuilder();
        CanonicalJson.write(tree, out);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] library(JsonNode tree) throws Exception {
        return new JsonCanonicalizer(MAPPER.writeValueAsString(tree)).getEncodedUTF8();
    }

    /** A random JSON value, nested at most four deep. */
    static JsonNode value(Random random, int depth) {
        int kind = random.nextInt(depth >= 4 ? 5 : 7);
        return switch (kind) {
            case 0 -> NODES.textNode(text(random));
            case 1 -> number(random);
            case 2 -> NODES.booleanNode(random.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> number(random);
            case 5 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(value(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(6); i > 0; i--) {
                    object.set(text(random), value(random, depth + 1));
                }
                yield object;
            }
        };
    }

    static String text(Random random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(6); i > 0; i--) {
            text.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return text.toString();
    }

    static JsonNode number(Random random) {
        long exact = 1L << 53;
        return switch (random.nextInt(9)) {
            case 0 -> NODES.numberNode(random.nextInt());
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.numberNode(exact + random.nextInt(5) - 2);
            case 3 -> NODES.numberNode(-exact + random.nextInt(5) - 2);
            case 4 -> NODES.numberNode(new BigInteger(random.nextInt(120) + 1, random));
            case 5 -> NODES.numberNode(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL)
                    * (random.nextBoolean() ? 1 : -1));
            case 6 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(60) - 30));
            case 7 -> NODES.numberNode(new BigDecimal(new BigInteger(random.nextInt(80) + 1, random), random.nextInt(40) - 20));
            default -> NODES.numberNode(random.nextBoolean() ? -0.0 : 0.0);
        };
    }
}
