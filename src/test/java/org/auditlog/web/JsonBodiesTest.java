package org.auditlog.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.jackson.Jackson;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.auditlog.common.Rejection;
import org.junit.jupiter.api.Test;

/**
 * The body reader's own edges, which the HTTP tests reach only with small bodies: UTF-8 is checked
 * through a buffer of 8,192 characters, so a fault or a character split across its end must be
 * found wherever it lies, and the limit must hold to the byte.
 */
class JsonBodiesTest {
    private final JsonBodies bodies = new JsonBodies(Jackson.newObjectMapper());

    @Test
    void aLargeBodyWithCharactersAcrossTheDecodersBufferIsRead() {
        for (int pad = 8180; pad < 8200; pad++) { // a 2-, 3- and 4-byte character at every offset around the buffer's end
            String text = "{\"a\":\"" + "x".repeat(pad) + "\u00e9\u4e2d\ud83d\ude00\",\"b\":1}";
            assertThat(bodies.read(stream(text.getBytes(StandardCharsets.UTF_8)), 1 << 20).get("a").textValue())
                    .endsWith("\u00e9\u4e2d\ud83d\ude00");
        }
    }

    @Test
    void invalidUtf8IsRefusedWhereverItLies() {
        for (int at : new int[] {6, 8191, 8192, 8193, 20_000}) {
            byte[] body = ("{\"a\":\"" + "x".repeat(30_000) + "\"}").getBytes(StandardCharsets.UTF_8);
            body[at] = (byte) 0xc0; // starts an overlong form
            assertThatThrownBy(() -> bodies.read(stream(body), 1 << 20)).as("at %d", at)
                    .isInstanceOf(Rejection.class).hasMessageContaining("not valid UTF-8");
        }
        byte[] truncated = concat("{\"a\":\"".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xe4, (byte) 0xb8});
        assertThatThrownBy(() -> bodies.read(stream(truncated), 1 << 20)).hasMessageContaining("not valid UTF-8");
        byte[] surrogate = concat("{\"a\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'});
        assertThatThrownBy(() -> bodies.read(stream(surrogate), 1 << 20)).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void theLimitHoldsToTheByte() {
        byte[] body = ("{\"a\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertThat(bodies.read(stream(body), body.length).get("a").textValue()).hasSize(100);
        assertThatThrownBy(() -> bodies.read(stream(body), body.length - 1))
                .isInstanceOfSatisfying(Rejection.class, e -> assertThat(e.kind()).isEqualTo(Rejection.Kind.TOO_LARGE));
    }

    private static ByteArrayInputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }
}
