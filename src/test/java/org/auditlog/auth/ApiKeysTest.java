package org.auditlog.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    private static final TestApp APP = TestApp.get();
    private static final Map<String, Object> EVENT = Map.of("action", "user.login", "actor", Map.of("id", "a"));
    private static String tenant;
    private static String admin;
    private static String eventId;

    @BeforeAll
    static void setUp() {
        tenant = TestApp.newTenant("keys");
        admin = APP.createKey(tenant, "admin");
        eventId = APP.post("/api/v1/events", admin, EVENT).json().get("id").asText();
    }

    @Test
    void createShowsTheSecretOnceAndTheKeyWorks() {
        var created = APP.post("/api/v1/keys", admin, Map.of("name", "reader", "roles", List.of("auditor")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String secret = created.json().get("key").asText();
        assertThat(secret).startsWith("ak_").hasSizeGreaterThan(40);
        assertThat(created.json().get("roles")).hasSize(1);
        assertThat(APP.get("/api/v1/events/" + eventId, secret).status()).isEqualTo(200);

        var listed = APP.get("/api/v1/keys", admin);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).doesNotContain(secret);
        JsonNode keys = listed.json().get("keys");
        assertThat(keys).anySatisfy(k -> assertThat(k.get("name").asText()).isEqualTo("reader"));
        keys.forEach(k -> assertThat(k.has("key")).isFalse());
    }

    @Test
    void storesOnlyAHashOfTheSecret() {
        String secret = APP.post("/api/v1/keys", admin, Map.of("name", "hashed", "roles", List.of("ingest")))
                .json().get("key").asText();
        var rows = TestApp.rows("select * from api_keys");
        assertThat(rows.toString()).doesNotContain(secret);
        assertThat(TestApp.rows("select * from audit_events").toString()).doesNotContain(secret);
    }

    @Test
    void revokeTakesEffectAtOnce() {
        var created = APP.post("/api/v1/keys", admin, Map.of("name", "short-lived", "roles", List.of("auditor"))).json();
        String secret = created.get("key").asText();
        assertThat(APP.get("/api/v1/events/" + eventId, secret).status()).isEqualTo(200);
        assertThat(APP.delete("/api/v1/keys/" + created.get("id").asText(), admin).status()).isEqualTo(204);
        assertThat(APP.get("/api/v1/events/" + eventId, secret).status()).isEqualTo(401);
        var listed = APP.get("/api/v1/keys", admin).json().get("keys");
        assertThat(listed).anySatisfy(k -> {
            assertThat(k.get("id").asText()).isEqualTo(created.get("id").asText());
            assertThat(k.get("revokedAt").asText()).endsWith("Z");
        });
    }

    /**
     * A key revoked where this instance could not see it (another instance, or by hand in SQL) stops
     * working here too, although this instance had it cached: the database's notification drops it.
     */
    @Test
    void aRevocationMadeElsewhereReachesThisInstancesCache() {
        var created = APP.post("/api/v1/keys", admin, Map.of("name", "revoked-elsewhere", "roles", List.of("auditor"))).json();
        String secret = created.get("key").asText();
        for (int i = 0; i < 3; i++) {
            assertThat(APP.get("/api/v1/events/" + eventId, secret).status()).isEqualTo(200);
        }
        assertThat(TestApp.rows("update api_keys set revoked_at = now() where id = ?::uuid returning id",
                created.get("id").asText())).hasSize(1);
        TestApp.eventually("the revocation reaches the cache",
                () -> APP.get("/api/v1/events/" + eventId, secret).status() == 401);
    }

    @Test
    void keyChangesAreRecordedInTheTenantsLog() {
        var created = APP.post("/api/v1/keys", admin, Map.of("name", "recorded", "roles", List.of("ingest"))).json();
        APP.delete("/api/v1/keys/" + created.get("id").asText(), admin);
        var rows = TestApp.rows("select action, actor_type, resource_id from audit_events "
                + "where tenant = ? and category = 'admin' and resource_id = ? order by seq", tenant,
                created.get("id").asText());
        assertThat(rows).extracting(r -> r.get("action")).containsExactly("api_key.created", "api_key.revoked");
        assertThat(rows).extracting(r -> r.get("actor_type")).containsOnly("api_key");
    }

    @Test
    void missingUnknownOrMalformedKeyAnswers401() {
        for (String key : new String[] {null, "ak_unknown", "not-a-key"}) {
            var reply = APP.get("/api/v1/events/" + eventId, key);
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.json().get("code").asInt()).isEqualTo(401);
        }
        var basic = APP.send(APP.request("/api/v1/events/" + eventId, null).header("Authorization", "Basic YTpi").GET());
        assertThat(basic.status()).isEqualTo(401);
    }

    @Test
    void rolesDecideWhatAKeyMayDo() {
        String ingest = APP.createKey(tenant, "ingest");
        String auditor = APP.createKey(tenant, "auditor");
        assertThat(APP.get("/api/v1/events/" + eventId, ingest).status()).isEqualTo(403);
        assertThat(APP.post("/api/v1/events", ingest, EVENT).status()).isEqualTo(201);
        assertThat(APP.post("/api/v1/events", auditor, EVENT).status()).isEqualTo(403);
        assertThat(APP.get("/api/v1/events/" + eventId, auditor).status()).isEqualTo(200);
        assertThat(APP.get("/api/v1/keys", auditor).status()).isEqualTo(403);
        assertThat(APP.post("/api/v1/keys", ingest, Map.of("name", "x", "roles", List.of("admin"))).status()).isEqualTo(403);
        var forbidden = APP.get("/api/v1/keys", auditor);
        assertThat(forbidden.json().get("code").asInt()).isEqualTo(403);
    }

    @Test
    void anotherTenantsEventAnswers404LikeAMissingOne() {
        String other = APP.createKey(TestApp.newTenant("keys-other"), "admin");
        var foreign = APP.get("/api/v1/events/" + eventId, other);
        var missing = APP.get("/api/v1/events/00000000-0000-7000-8000-000000000000", other);
        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.body()).isEqualTo(missing.body());
    }

    @Test
    void anotherTenantsKeyCannotBeRevoked() {
        String otherTenant = TestApp.newTenant("keys-foreign");
        String otherAdmin = APP.createKey(otherTenant, "admin");
        String victimId = APP.post("/api/v1/keys", admin, Map.of("name", "victim", "roles", List.of("auditor")))
                .json().get("id").asText();
        assertThat(APP.delete("/api/v1/keys/" + victimId, otherAdmin).status()).isEqualTo(404);
        assertThat(APP.get("/api/v1/keys", otherAdmin).body()).doesNotContain(victimId);
    }

    @Test
    void refusesBadKeyRequestsNamingTheField() {
        var reply = APP.post("/api/v1/keys", admin, Map.of("name", "", "roles", List.of("root"), "extra", 1));
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().get("details").toString()).contains("extra");
        var roles = APP.post("/api/v1/keys", admin, Map.of("name", "n", "roles", List.of("root")));
        assertThat(roles.status()).isEqualTo(422);
        assertThat(roles.json().get("details").get(0).get("field").asText()).isEqualTo("roles[0]");
        var none = APP.post("/api/v1/keys", admin, Map.of("name", "n", "roles", List.of()));
        assertThat(none.status()).isEqualTo(422);
        assertThat(APP.delete("/api/v1/keys/not-an-id", admin).status()).isEqualTo(404);
    }
}
