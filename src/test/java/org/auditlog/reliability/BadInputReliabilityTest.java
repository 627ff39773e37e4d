package org.auditlog.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.auditlog.support.Results;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/**
 * More than 10,000 generated bad requests against ingest, query, export and admin endpoints:
 * malformed and truncated JSON, wrong types, huge strings, control characters, invalid UTF-8, SQL
 * meta-characters, absurd numbers. None may answer 5xx, none may be accepted, nothing may be stored.
 */
class BadInputReliabilityTest {
    private static final TestApp APP = TestApp.get();
    private static final String[] NASTY = {"'; drop table audit_events; --", "\" or 1=1 --", "%00", "\u0000",
            "\u0001\u0002\u001f", "\ud800", "${jndi:ldap://x}", "../../etc/passwd", "<script>", "\\", "\"", "NaN",
            "-1e999999", "99999999999999999999999999999", "", " ", "\t\r\n", "😀".repeat(300), "x".repeat(70_000)};
    private static final String[] NUMBERS = {"1e999999", "-0", "1.7976931348623157e309", "123456789012345678901234567890",
            "-99999999999999999999", "0.0000000000000000000000000001", "NaN", "Infinity", "01", "1.", ".5"};

    @Test
    void tenThousandBadRequestsAnswer4xxAndStoreNothing() {
        String tenant = TestApp.newTenant("bad-input");
        String key = APP.createKey(tenant, "admin");
        long before = TestApp.count(tenant);
        Random random = new Random(20261122);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> byKind = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        int sent = 0;
        String previous = "";
        while (sent < 10_200) {
            String kind = "";
            TestApp.Reply reply;
            try {
            switch (sent % 6) {
                case 0 -> {
                    kind = "ingest: broken JSON";
                    reply = APP.post("/api/v1/events", key, brokenJson(random));
                }
                case 1 -> {
                    String body = wrongEvent(random);
                    kind = "ingest: wrong values " + body.substring(0, Math.min(200, body.length()));
                    reply = APP.post(random.nextBoolean() ? "/api/v1/events" : "/api/v1/events/batch", key, body);
                }
                case 2 -> {
                    kind = "ingest: invalid UTF-8";
                    reply = APP.post("/api/v1/events", key, invalidUtf8(random));
                }
                case 3 -> {
                    kind = "query and stats: bad parameters";
                    reply = APP.get((random.nextBoolean() ? "/api/v1/events?" : "/api/v1/events/stats?groupBy=action&")
                            + badParameter(random), key);
                }
                case 4 -> {
                    kind = "export: bad parameters and bodies";
                    reply = random.nextBoolean()
                            ? APP.get("/api/v1/exports/stream?format=csv&" + badParameter(random), key)
                            : APP.post("/api/v1/exports", key, wrongObject(random, "format", "filters"));
                }
                default -> {
                    kind = "admin: bad bodies and ids";
                    reply = admin(random, key);
                }
            }
            } catch (IllegalStateException e) {
                failures.add(kind + " after " + previous + " -> no answer: " + e.getCause());
                reply = new TestApp.Reply(0, "", Map.of());
            }
            previous = kind + " " + reply.status() + " " + reply.body().substring(0, Math.min(120, reply.body().length()));
            sent++;
            byKind.merge(kind.startsWith("ingest: wrong values") ? "ingest: wrong values" : kind, 1, Integer::sum);
            statuses.merge(reply.status(), 1, Integer::sum);
            if (reply.status() < 400 || reply.status() >= 500) {
                if (failures.size() < 30) {
                    failures.add(kind + " after " + previous + " -> " + reply);
                }
            }
        }
        long after = TestApp.count(tenant);
        Results.write("bad-input", Map.of("sent", sent, "byKind", byKind, "statuses", statuses,
                "not4xx", statuses.entrySet().stream().filter(e -> e.getKey() < 400 || e.getKey() >= 500)
                        .mapToInt(Map.Entry::getValue).sum(), "eventsStored", after - before));
        assertThat(failures).as("requests that were not refused with a 4xx").isEmpty();
        assertThat(statuses.keySet()).allMatch(status -> status >= 400 && status < 500);
        assertThat(after).as("events stored from bad requests").isEqualTo(before);
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String jsonString(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
    }

    private static String brokenJson(Random random) {
        String valid = "{\"action\": \"user.login\", \"actor\": {\"id\": \"a\"}, \"metadata\": {\"k\": [1, 2, {\"x\": null}]}}";
        return switch (random.nextInt(6)) {
            case 0 -> valid.substring(0, 1 + random.nextInt(valid.length() - 2));
            case 1 -> valid.replace(":", random.nextBoolean() ? "=" : "");
            case 2 -> "[" + valid + "," + valid;
            case 3 -> "{\"action\": " + pick(random, NUMBERS) + "}";
            case 4 -> "{".repeat(2000 + random.nextInt(2000));
            default -> valid + " trailing";
        };
    }

    private static String wrongEvent(Random random) {
        String nasty = jsonString(pick(random, NASTY));
        String number = pick(random, new String[] {"1e999", "-0", "1.5", "123456789012345678901234567890", "true", "null", "[]", "{}"});
        String event = switch (random.nextInt(10)) {
            case 0 -> "{\"action\": " + jsonString("Bad " + pick(random, NASTY)) + ", \"actor\": {\"id\": \"a\"}}";
            case 1 -> "{\"action\": \"a.b\", \"actor\": {\"id\": " + number + "}}";
            case 2 -> "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"occurredAt\": " + nasty + "}";
            case 3 -> "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"source\": {\"ip\": " + nasty + "}}";
            case 4 -> "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"metadata\": {\"n\": 1e999}}";
            case 5 -> "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\\u0000b\"}}";
            case 6 -> "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, \"outcome\": " + nasty + "}";
            case 7 -> "{\"action\": \"a.b\", \"actor\": {\"id\": \"" + "x".repeat(300 + random.nextInt(100_000)) + "\"}}";
            case 8 -> "{\"action\": \"a.b\", \"actor\": {\"id\": \"a\"}, " + jsonString(pick(random, NASTY) + "x") + ": 1}";
            default -> "{\"action\": \"a.b\", \"actor\": [" + number + "], \"category\": " + nasty + "}";
        };
        return random.nextBoolean() ? event : "{\"events\": [" + event + "]}";
    }

    private static byte[] invalidUtf8(Random random) {
        byte[] prefix = "{\"action\": \"a.b\", \"actor\": {\"id\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\"}}".getBytes(StandardCharsets.UTF_8);
        byte[][] bad = {{(byte) 0xC3}, {(byte) 0xFF, (byte) 0xFE}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        byte[] middle = bad[random.nextInt(bad.length)];
        byte[] body = new byte[prefix.length + middle.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(middle, 0, body, prefix.length, middle.length);
        System.arraycopy(suffix, 0, body, prefix.length + middle.length, suffix.length);
        return body;
    }

    private static String badParameter(Random random) {
        String value = URLEncoder.encode(pick(random, NASTY) + pick(random, NUMBERS), StandardCharsets.UTF_8);
        return switch (random.nextInt(9)) {
            case 0 -> "from=" + value;
            case 1 -> "limit=" + URLEncoder.encode(pick(random, new String[] {"0", "1001", "-1", "1e3", "NaN", "99999999999",
                    "1.5", "", " 5", "0x10"}), StandardCharsets.UTF_8);
            case 2 -> "cursor=" + value;
            case 3 -> "order=" + value;
            case 4 -> "meta.=" + value;
            case 5 -> "action=" + URLEncoder.encode("User Login" + pick(random, NASTY), StandardCharsets.UTF_8);
            case 6 -> "ip=" + value;
            case 7 -> "outcome=" + value;
            default -> URLEncoder.encode(pick(random, NASTY) + "x", StandardCharsets.UTF_8) + "=1";
        };
    }

    private static String wrongObject(Random random, String... fields) {
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i < fields.length; i++) {
            body.append(i == 0 ? "" : ",").append('"').append(fields[i]).append("\": ")
                    .append(random.nextBoolean() ? pick(random, NUMBERS) : jsonString(pick(random, NASTY)));
        }
        return body.append("}").toString();
    }

    private static TestApp.Reply admin(Random random, String key) {
        String nasty = pick(random, NASTY);
        // ids stay under Jetty's 8 KiB request line; too-long URIs are sent by the query kind
        String id = URLEncoder.encode(nasty.substring(0, Math.min(nasty.length(), 1500)) + "x", StandardCharsets.UTF_8);
        return switch (random.nextInt(8)) {
            case 0 -> APP.post("/api/v1/keys", key, wrongObject(random, "name", "roles"));
            case 1 -> APP.delete("/api/v1/keys/" + id, key);
            case 2 -> APP.send(APP.request("/api/v1/retention/policies/" + id, key).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(wrongObject(random, "retainDays"))));
            case 3 -> APP.post("/api/v1/retention/holds", key, wrongObject(random, "name", "filters"));
            case 4 -> APP.delete("/api/v1/retention/holds/" + id, key);
            case 5 -> APP.post("/api/v1/alerts/rules", key, wrongObject(random, "name", "window", "threshold"));
            case 6 -> APP.post("/api/v1/alerts/channels", key, wrongObject(random, "type", "url", "secret"));
            default -> APP.send(APP.request("/api/v1/retention/runs?dryRun=" + id, key)
                    .POST(HttpRequest.BodyPublishers.noBody()));
        };
    }
}
