package org.auditlog.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.auditlog.common.Rejection;

/**
 * Reads a request body as a JSON tree with a size limit, so that validation can list every problem
 * of a body at once instead of stopping at the first one binding would meet.
 */
public final class JsonBodies {
    /** How much of an oversized body is read and dropped so the client still gets its 413. */
    private static final long DRAIN_BUDGET = 32L * 1024 * 1024;
    private final ObjectReader reader;

    public JsonBodies(ObjectMapper mapper) {
        this.reader = mapper.reader()
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .without(JsonParser.Feature.ALLOW_COMMENTS);
    }

    public JsonNode read(InputStream body, long limit) {
        byte[] bytes = readLimited(body, limit);
        if (bytes.length == 0) {
            throw Rejection.malformed("the request body is empty; a JSON object is expected");
        }
        if (!isUtf8(bytes)) {
            throw Rejection.malformed("the request body is not valid UTF-8");
        }
        try {
            JsonNode node = reader.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw Rejection.malformed("the request body is empty; a JSON object is expected");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw Rejection.malformed("malformed JSON body: " + describe(e));
        } catch (IOException e) {
            throw Rejection.malformed("unreadable request body");
        }
    }

    /**
     * Strictly: overlong forms, surrogates and bytes that start nothing are refused (Jackson lets some
     * through). Decoded through a small buffer used again and again: decoding a batch's body whole
     * took a char array twice its size, which on a small heap is a humongous allocation and a
     * collection for every batch.
     */
    private static boolean isUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.min(bytes.length, 8192) + 1);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return false;
            }
            out.clear();
            if (result.isUnderflow()) {
                result = decoder.flush(out);
                return !result.isError();
            }
        }
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "cannot parse";
        }
        // a limit's message names the parser's method that sets it: the client is told the limit only
        message = message.replaceAll("[\\r\\n\\t]+", " ").replaceAll(", from `[^`]*`", "");
        var location = e.getLocation();
        String where = location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
        return (message.length() > 160 ? message.substring(0, 160) + "..." : message) + where;
    }

    /**
     * At most {@code limit} bytes, else a 413. {@link InputStream#readNBytes(int)} reads in small
     * chunks and joins them once into an array of the body's size, where a growing buffer would
     * double past it and copy.
     */
    private static byte[] readLimited(InputStream body, long limit) {
        try {
            byte[] bytes = body.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                drain(body, new byte[16 * 1024], Math.max(limit * 4, DRAIN_BUDGET));
                throw Rejection.tooLarge("request body larger than " + limit + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw Rejection.malformed("unreadable request body");
        }
    }

    /** Reads on a little so the client sees the 413 instead of a reset connection. */
    private static void drain(InputStream body, byte[] buffer, long budget) throws IOException {
        long read = 0;
        int n;
        while (read < budget && (n = body.read(buffer)) != -1) {
            read += n;
        }
    }
}
