package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.auditlog.support.Ports;
import org.auditlog.support.RsyslogReceiver;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Syslog streams to a real rsyslogd over TCP and TLS, through the service's API as the tests run it. */
class SyslogStreamTest {
    private static final TestApp APP = TestApp.get();
    private static RsyslogReceiver rsyslog;

    @BeforeAll
    static void start() throws Exception {
        rsyslog = new RsyslogReceiver();
    }

    @AfterAll
    static void stop() {
        if (rsyslog != null) {
            rsyslog.close();
        }
    }

    static Map<String, Object> syslog(String name, String format, int port, String protocol) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("type", "syslog");
        body.put("format", format);
        body.put("host", "127.0.0.1");
        body.put("port", port);
        body.put("protocol", protocol);
        return body;
    }

    /** The messages rsyslogd received for {@code tenant}, each read by {@link SyslogMessageTest#MESSAGE}. */
    private static List<Matcher> received(String tenant) {
        List<Matcher> messages = new ArrayList<>();
        for (String line : rsyslog.lines()) {
            Matcher m = SyslogMessageTest.MESSAGE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            if (m.group(9).equals(tenant)) {
                messages.add(m);
            }
        }
        return messages;
    }

    /** Waits until rsyslogd wrote {@code count} distinct seqs of the tenant; answers its messages. */
    private static List<Matcher> receivedAll(String tenant, int count) {
        TestApp.eventually("rsyslogd writes what it received", () -> received(tenant).stream()
                .map(m -> m.group(8)).distinct().count() >= count);
        return received(tenant);
    }

    private static List<Long> storedSeqs(String tenant) {
        return TestApp.rows("select seq from audit_events where tenant = ? order by seq", tenant).stream()
                .map(r -> ((Number) r.get("seq")).longValue()).toList();
    }

    private static JsonNode json(String text) {
        try {
            return TestApp.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void everyEventArrivesOverTcpInSeqOrderAsTheApiJsonWithItsIdAndSeqInTheStructuredData() {
        StreamTenant t = StreamTenant.create("syslog-tcp");
        t.ingest(3, "doc.read");
        String id = t.stream(syslog("siem", "native", rsyslog.tcpPort(), "tcp"));
        t.ingest(700, "doc.created");
        t.delivered(id);
        List<Long> stored = storedSeqs(t.name());
        List<Matcher> messages = receivedAll(t.name(), stored.size());
        List<Long> seqs = new ArrayList<>();
        for (Matcher m : messages) {
            assertThat(m.group(1)).isEqualTo("110");
            assertThat(m.group(4)).isEqualTo("audit-service");
            JsonNode event = json(m.group(10));
            assertThat(event.get("seq").asText()).isEqualTo(m.group(8));
            assertThat(event.get("id").asText()).isEqualTo(m.group(7));
            assertThat(event.get("tenant").asText()).isEqualTo(t.name());
            assertThat(event.get("hash").asText()).hasSize(64);
            assertThat(event.get("prevHash").asText()).hasSize(64);
            seqs.add(event.get("seq").asLong());
        }
        assertThat(List.copyOf(new LinkedHashSet<>(seqs))).isEqualTo(stored);
        JsonNode status = t.status(id);
        assertThat(status.get("host").asText()).isEqualTo("127.0.0.1");
        assertThat(status.get("port").asInt()).isEqualTo(rsyslog.tcpPort());
        assertThat(status.get("protocol").asText()).isEqualTo("tcp");
        assertThat(status.get("lastError").isNull()).isTrue();
    }

    @Test
    void cefAndOcsfLinesArriveWholeAsTheMessage() {
        StreamTenant cef = StreamTenant.create("syslog-cef");
        StreamTenant ocsf = StreamTenant.create("syslog-ocsf");
        String cefId = cef.stream(syslog("siem", "cef", rsyslog.tcpPort(), "tcp"));
        String ocsfId = ocsf.stream(syslog("siem", "ocsf", rsyslog.tcpPort(), "tcp"));
        cef.ingest(5, "user.login");
        ocsf.ingest(5, "user.login");
        cef.delivered(cefId);
        ocsf.delivered(ocsfId);
        List<Matcher> cefMessages = receivedAll(cef.name(), storedSeqs(cef.name()).size());
        assertThat(cefMessages).allSatisfy(m -> assertThat(m.group(10)).startsWith("CEF:0|")
                .contains(" cn1=" + m.group(8) + " ").doesNotContain("\n"));
        assertThat(cefMessages).filteredOn(m -> m.group(10).contains("|user.login|")).hasSize(5);
        List<Matcher> ocsfMessages = receivedAll(ocsf.name(), storedSeqs(ocsf.name()).size());
        assertThat(ocsfMessages).allSatisfy(m -> {
            JsonNode event = json(m.group(10));
            assertThat(event.get("metadata").get("sequence").asText()).isEqualTo(m.group(8));
            assertThat(event.get("metadata").get("uid").asText()).isEqualTo(m.group(7));
        });
        assertThat(ocsfMessages).filteredOn(m -> json(m.group(10)).get("class_uid").asInt() == 3002).hasSize(5);
    }

    @Test
    void overTlsTheReceiversCaGivenAsCaCertificateIsTrusted() {
        StreamTenant t = StreamTenant.create("syslog-tls");
        var body = syslog("siem", "cef", rsyslog.tlsPort(), "tls");
        body.put("caCertificate", rsyslog.caCertificate());
        String id = t.stream(body);
        t.ingest(20, "doc.created");
        t.delivered(id);
        List<Matcher> messages = receivedAll(t.name(), storedSeqs(t.name()).size());
        assertThat(messages.stream().map(m -> Long.parseLong(m.group(8))).distinct().toList())
                .isEqualTo(storedSeqs(t.name()));
        JsonNode status = t.status(id);
        assertThat(status.get("protocol").asText()).isEqualTo("tls");
        assertThat(status.get("caCertificate").asText()).isEqualTo(rsyslog.caCertificate());
    }

    @Test
    void aReceiverWhoseCertificateAnotherCaSignedIsNotSentToAndTheCursorStays() {
        StreamTenant t = StreamTenant.create("syslog-bad-ca");
        var body = syslog("siem", "native", rsyslog.tlsPort(), "tls");
        body.put("caCertificate", rsyslog.otherCaCertificate());
        t.ingest(3, "doc.created");
        String id = t.stream(body);
        TestApp.eventually("a failed attempt", () -> t.status(id).get("attempts").asInt() >= 1);
        JsonNode status = t.status(id);
        assertThat(status.get("lastError").asText()).startsWith("TLS with 127.0.0.1:" + rsyslog.tlsPort() + " failed: ");
        assertThat(status.get("deliveredThroughSeq").asLong()).isLessThan(t.head());
        assertThat(received(t.name())).isEmpty();
        assertThat(APP.delete("/api/v1/streams/" + id, t.key()).status()).isEqualTo(204);
    }

    @Test
    void aReceiverThatIsNotListeningIsAFailedAttemptNamingWhere() {
        StreamTenant t = StreamTenant.create("syslog-down");
        int port = Ports.free();
        t.ingest(2, "doc.created");
        String id = t.stream(syslog("siem", "native", port, "tcp"));
        TestApp.eventually("a failed attempt", () -> t.status(id).get("attempts").asInt() >= 1);
        JsonNode status = t.status(id);
        assertThat(status.get("lastError").asText()).isEqualTo("could not connect to 127.0.0.1:" + port
                + ": connection refused");
        assertThat(status.get("deliveredThroughSeq").asLong()).isLessThan(t.head());
        assertThat(APP.delete("/api/v1/streams/" + id, t.key()).status()).isEqualTo(204);
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        String key = APP.createKey(TestApp.newTenant("syslog-bad"), "admin");
        var body = syslog("s", "native", 514, "tcp");
        body.remove("host");
        refused(key, body, "host");
        for (String host : List.of("", "has space", "a".repeat(254), "bad..dots", "-leading")) {
            body.put("host", host);
            refused(key, body, "host");
        }
        for (Object port : List.of(0, 70_000, "x", 5.5)) {
            body = syslog("s", "native", 514, "tcp");
            body.put("port", port);
            refused(key, body, "port");
        }
        body.remove("port");
        refused(key, body, "port");
        body = syslog("s", "native", 514, "udp");
        refused(key, body, "protocol");
        body.remove("protocol");
        refused(key, body, "protocol");
        body = syslog("s", "native", 514, "tcp");
        body.put("caCertificate", rsyslog.caCertificate());
        refused(key, body, "caCertificate");
        body.put("protocol", "tls");
        body.put("caCertificate", "not a certificate");
        refused(key, body, "caCertificate");
        body = syslog("s", "native", 6514, "tls");
        body.put("secret", "syslog-has-no-secret-at-all");
        refused(key, body, "secret");
        body.remove("secret");
        body.put("host", "[::1]");
        var created = APP.post("/api/v1/streams", key, body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("host").asText()).isEqualTo("[::1]");
        assertThat(created.json().has("caCertificate")).isFalse();
    }

    private static void refused(String key, Map<String, Object> body, String field) {
        var reply = APP.post("/api/v1/streams", key, body);
        assertThat(reply.status()).as(body + " " + reply).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        reply.json().get("details").forEach(d -> fields.add(d.get("field").asText()));
        assertThat(fields).as(body + " " + reply).contains(field);
    }
}
