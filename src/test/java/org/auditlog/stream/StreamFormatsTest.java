package org.auditlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropwizard.jackson.Jackson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.auditlog.event.Actor;
import org.auditlog.event.AuditEvent;
import org.auditlog.event.Outcome;
import org.auditlog.event.Resource;
import org.auditlog.event.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a SIEM stream sends: the API's JSON, OCSF 1.3.0 with every required attribute, and safe CEF lines. */
class StreamFormatsTest {
    private static final ObjectMapper MAPPER = Jackson.newObjectMapper();
    private static final StreamProduct PRODUCT = new StreamProduct("auditlog", "audit-service", "1.2.3");

    /** The base event's required attributes (and those the mapping always fills beside them). */
    private static final List<String> BASE = List.of("class_uid", "class_name", "category_uid", "category_name",
            "activity_id", "activity_name", "type_uid", "type_name", "severity_id", "time", "status_id", "status",
            "metadata", "metadata.version", "metadata.product", "metadata.product.vendor_name",
            "metadata.product.name", "metadata.uid", "metadata.original_time", "metadata.logged_time",
            "metadata.sequence", "actor", "actor.user", "actor.user.uid", "unmapped", "raw_data");
    private static final Map<Integer, List<String>> REQUIRED = Map.of(
            3002, List.of("user", "user.uid", "service.name"),
            3001, List.of("user"),
            6003, List.of("actor", "api", "api.operation", "src_endpoint"));

    @Test
    void nativeIsTheApiJsonOfTheEvent() throws Exception {
        AuditEvent event = full("doc.read", "data_access", Outcome.DENIED);
        String text = StreamFormat.NATIVE.format(event, PRODUCT, MAPPER);
        assertThat(text).isEqualTo(MAPPER.writeValueAsString(event));
        assertThat(MAPPER.readTree(text)).isEqualTo(MAPPER.readTree(MAPPER.writeValueAsString(event)));
    }

    @Test
    void wireNames() {
        assertThat(StreamFormat.NATIVE.wireName()).isEqualTo("native");
        assertThat(StreamFormat.fromWire("ocsf")).contains(StreamFormat.OCSF);
        assertThat(StreamFormat.fromWire("cef")).contains(StreamFormat.CEF);
        assertThat(StreamFormat.fromWire("CEF")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "user.login, auth, 3002, 1",
            "user.logout, auth, 3002, 2",
            "console.sign_in, general, 3002, 1",
            "sso.challenge, authentication, 3002, 99",
            "api_key.created, general, 3001, 1",
            "api_key.revoked, general, 3001, 6",
            "role.granted, general, 3001, 7",
            "user.role_revoked, general, 3001, 8",
            "user.created, general, 3001, 1",
            "user.deactivated, general, 3001, 5",
            "user.password_changed, auth, 3001, 3",
            "user.mfa_enabled, auth, 3001, 10",
            "user.updated, general, 6003, 3",
            "doc.read, data_access, 6003, 2",
            "report.downloaded, general, 6003, 2",
            "export.requested, general, 6003, 1",
            "retention.policy.set, general, 6003, 3",
            "retention.hold.released, general, 6003, 4",
            "invoice.paid, billing, 6003, 99"})
    void classAndActivityFromTheAction(String action, String category, int classUid, int activityId) throws Exception {
        JsonNode ocsf = ocsf(full(action, category, Outcome.SUCCESS));
        assertThat(ocsf.get("class_uid").asInt()).isEqualTo(classUid);
        assertThat(ocsf.get("category_uid").asInt()).isEqualTo(classUid / 1000);
        assertThat(ocsf.get("activity_id").asInt()).isEqualTo(activityId);
        assertThat(ocsf.get("type_uid").asLong()).isEqualTo(classUid * 100L + activityId);
        assertThat(ocsf.get("type_name").asText())
                .isEqualTo(ocsf.get("class_name").asText() + ": " + ocsf.get("activity_name").asText());
    }

    @Test
    void everyClassHasItsRequiredAttributesEvenWithOnlyTheFieldsThatAreAlwaysThere() throws Exception {
        for (String action : List.of("user.login", "api_key.created", "doc.read")) {
            for (AuditEvent event : List.of(full(action, "general", Outcome.FAILURE), minimal(action))) {
                JsonNode ocsf = ocsf(event);
                List<String> required = new ArrayList<>(BASE);
                required.addAll(REQUIRED.get(ocsf.get("class_uid").asInt()));
                for (String path : required) {
                    assertThat(at(ocsf, path)).as(action + " " + path).isNotNull();
                    assertThat(at(ocsf, path).isNull()).as(action + " " + path).isFalse();
                }
                assertThat(ocsf.get("metadata").get("version").asText()).isEqualTo("1.3.0");
                assertThat(ocsf.get("time").asLong()).isEqualTo(event.occurredAtInstant().toEpochMilli());
                assertThat(ocsf.get("metadata").get("logged_time").asLong())
                        .isEqualTo(event.receivedAtInstant().toEpochMilli());
            }
        }
    }

    @Test
    void theFieldsOfAFullEvent() throws Exception {
        JsonNode api = ocsf(full("doc.read", "data_access", Outcome.DENIED));
        assertThat(api.get("severity_id").asInt()).isEqualTo(3);
        assertThat(api.get("status_id").asInt()).isEqualTo(2);
        assertThat(api.get("status_detail").asText()).isEqualTo("denied");
        assertThat(api.get("src_endpoint").get("ip").asText()).isEqualTo("10.0.0.1");
        assertThat(api.get("http_request").get("user_agent").asText()).isEqualTo("curl/8");
        assertThat(api.get("actor").get("user").get("email_addr").asText()).isEqualTo("a@b.c");
        assertThat(api.get("resources").get(0).get("uid").asText()).isEqualTo("d1");
        assertThat(api.get("api").get("operation").asText()).isEqualTo("doc.read");
        assertThat(api.get("message").asText()).isEqualTo("why");

        JsonNode change = ocsf(full("api_key.created", "general", Outcome.SUCCESS));
        assertThat(change.get("user").get("uid").asText()).as("the target: the resource").isEqualTo("d1");
        assertThat(change.get("severity_id").asInt()).isEqualTo(1);
        assertThat(change.has("status_detail")).isFalse();
        assertThat(ocsf(full("user.login", "auth", Outcome.SUCCESS)).get("user").get("uid").asText()).isEqualTo("alice");
    }

    @Test
    void theOriginalEventIsKeptInUnmappedAndRawData() throws Exception {
        AuditEvent event = full("doc.read", "data_access", Outcome.SUCCESS);
        JsonNode ocsf = ocsf(event);
        JsonNode api = MAPPER.readTree(MAPPER.writeValueAsString(event));
        assertThat(ocsf.get("unmapped")).isEqualTo(api);
        assertThat(ocsf.get("raw_data").asText()).isEqualTo(MAPPER.writeValueAsString(event));
    }

    @Test
    void noSourceAddressStillGivesApiActivityItsSourceEndpoint() throws Exception {
        JsonNode ocsf = ocsf(minimal("doc.read"));
        assertThat(ocsf.get("src_endpoint").get("name").asText()).isEqualTo("unknown");
        assertThat(ocsf.has("resources")).isFalse();
        assertThat(ocsf(minimal("user.login")).has("src_endpoint")).isFalse();
        assertThat(ocsf(minimal("api_key.created")).get("user").get("uid").asText())
                .as("no resource: the actor").isEqualTo("alice");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "plain; plain; plain",
            "a|b; a\\|b; a|b",
            "a=b; a=b; a\\=b",
            "a\\b; a\\\\b; a\\\\b"})
    void cefEscapes(String text, String header, String extension) {
        assertThat(CefWriter.header(text)).isEqualTo(header);
        assertThat(CefWriter.extension(text)).isEqualTo(extension);
        assertThat(CefWriter.extension("a\nb\r\nc")).isEqualTo("a\\nb\\r\\nc");
        assertThat(CefWriter.header("a\nb")).isEqualTo("a b");
    }

    @Test
    void aCefLineIsOneLineWithSevenHeaderPipes() {
        String name = "Ev|il = x\\y\nnext=line\r";
        AuditEvent event = new AuditEvent("01a20121-e944-746e-b8ee-b70d1d7355e0", "acme", 7,
                Instant.parse("2026-11-22T02:42:09.348Z"), Instant.parse("2026-11-22T02:42:10Z"), "auth",
                "user.login", Outcome.FAILURE, new Actor("alice", "user", name, null), new Resource("app", null, "a|b"),
                new Source("2001:db8::1", null), null, null, null, null, null, new byte[32], null);
        String line = StreamFormat.CEF.format(event, new StreamProduct("Ven|dor\\", "audit-service", "1.0"), MAPPER);

        assertThat(line).doesNotContain("\n").doesNotContain("\r");
        List<Integer> pipes = unescaped(line, '|');
        assertThat(pipes.size()).isGreaterThanOrEqualTo(7);
        String header = line.substring(0, pipes.get(6));
        assertThat(unescaped(header, '|')).hasSize(6);
        assertThat(header).isEqualTo("CEF:0|Ven\\|dor\\\\|audit-service|1.0|user.login|Authentication: Logon|6");
        String extension = line.substring(pipes.get(6) + 1);
        assertThat(extension).startsWith("externalId=01a20121-e944-746e-b8ee-b70d1d7355e0 cs1=acme cs1Label=tenant "
                + "cn1=7 cn1Label=seq rt=1795315329348 cat=auth outcome=failure suid=alice");
        assertThat(extension).contains(" suser=Ev|il \\= x\\\\y\\nnext\\=line\\r ");
        assertThat(extension).contains(" c6a2=2001:db8::1 c6a2Label=Source IPv6 Address");
        assertThat(extension).doesNotContain(" src=");
        // every unescaped '=' of the extension ends a key
        for (int at : unescaped(extension, '=')) {
            String before = extension.substring(0, at);
            assertThat(before.substring(before.lastIndexOf(' ') + 1)).matches("[A-Za-z0-9]+");
        }
    }

    @Test
    void cefOfAnEventWithOnlyWhatIsAlwaysThere() {
        String line = StreamFormat.CEF.format(minimal("doc.read"), PRODUCT, MAPPER);
        assertThat(line).isEqualTo("CEF:0|auditlog|audit-service|1.2.3|doc.read|API Activity: Read|1|"
                + "externalId=01a20121-e944-746e-b8ee-b70d1d7355e1 cs1=acme cs1Label=tenant cn1=1 cn1Label=seq "
                + "rt=1795315329348 cat=general outcome=success suid=alice cs6=user cs6Label=actorType");
    }

    private static JsonNode ocsf(AuditEvent event) throws Exception {
        JsonNode tree = MAPPER.readTree(StreamFormat.OCSF.format(event, PRODUCT, MAPPER));
        assertThat(tree).isInstanceOf(ObjectNode.class);
        return tree;
    }

    private static JsonNode at(JsonNode node, String path) {
        for (String name : path.split("\\.")) {
            if (node == null) {
                return null;
            }
            node = node.get(name);
        }
        return node;
    }

    /** Where {@code c} stands unescaped (not after an odd number of backslashes). */
    private static List<Integer> unescaped(String text, char c) {
        List<Integer> at = new ArrayList<>();
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char here = text.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (here == '\\') {
                escaped = true;
            } else if (here == c) {
                at.add(i);
            }
        }
        return at;
    }

    private static AuditEvent full(String action, String category, Outcome outcome) throws Exception {
        return new AuditEvent("01a20121-e944-746e-b8ee-b70d1d7355e0", "acme", 42,
                Instant.parse("2026-11-22T02:42:09.348Z"), Instant.parse("2026-11-22T02:42:10.001Z"), category,
                action, outcome, new Actor("alice", "user", "Alice", "a@b.c"), new Resource("doc", "d1", "D"),
                new Source("10.0.0.1", "curl/8"), "req-1", "why",
                (ObjectNode) MAPPER.readTree("{\"after\":{\"x\":1}}"), (ObjectNode) MAPPER.readTree("{\"mfa\":true}"),
                "key-1", new byte[32], new byte[32]);
    }

    private static AuditEvent minimal(String action) {
        return new AuditEvent("01a20121-e944-746e-b8ee-b70d1d7355e1", "acme", 1,
                Instant.parse("2026-11-22T02:42:09.348Z"), Instant.parse("2026-11-22T02:42:09.348Z"), "general",
                action, Outcome.SUCCESS, new Actor("alice", "user", null, null), null, null, null, null, null, null,
                null, new byte[32], null);
    }
}
