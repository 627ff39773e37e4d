package org.auditlog.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.auditlog.support.ConsoleClient;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** Sign-in, sessions and their protections, through real HTTP against the running service. */
class ConsoleSessionsTest {
    private final TestApp app = TestApp.get();

    @Test
    void theRootAndTheBareConsoleLeadToTheConsoleAndItsSignIn() {
        assertThat(app.get("/", null).status()).isEqualTo(303);
        assertThat(app.get("/", null).headers().get("location").get(0)).endsWith("/console/");
        assertThat(app.get("/console", null).headers().get("location").get(0)).endsWith("/console/");
        var page = app.get("/console/", null);
        assertThat(page.status()).isEqualTo(303);
        assertThat(page.headers().get("location").get(0)).endsWith("/console/sign-in");
    }

    @Test
    void pagesCarryAStrictContentSecurityPolicy() {
        var form = app.get("/console/sign-in", null);
        assertThat(form.status()).isEqualTo(200);
        String policy = form.headers().get("content-security-policy").get(0);
        assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(form.headers().get("cache-control").get(0)).isEqualTo("no-store");
        // no-referrer would make browsers send "Origin: null" with the console's own forms
        assertThat(form.headers().get("referrer-policy").get(0)).isEqualTo("same-origin");
        assertThat(form.body()).contains("type=\"password\"").doesNotContain("<script>").doesNotContain(" style=");
    }

    @Test
    void anAuditorKeySignsInWithACookieScriptsCannotReadAndTheSignInIsRecorded() {
        String tenant = TestApp.newTenant("console");
        String key = app.createKey(tenant, "auditor");
        var client = new ConsoleClient(app);
        var reply = client.signIn(key);
        assertThat(reply.status()).isEqualTo(303);
        String cookie = reply.headers().get("set-cookie").stream().filter(c -> c.startsWith("audit_session=")).findFirst()
                .orElseThrow();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict", "Path=/console/").doesNotContain("Secure");
        assertThat(cookie).doesNotContain(key);
        var page = client.get("/console/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(tenant).doesNotContain(key);
        assertThat(TestApp.rows("select actor_id from audit_events where tenant = ? and action = 'console.signed_in'",
                tenant)).hasSize(1);
        // the session's sign-in token is in the database only as a hash
        assertThat(TestApp.rows("select count(*) as n from console_sessions where tenant = ? and token_hash = sha256(?::bytea)",
                tenant, client.cookie("audit_session")).get(0).get("n")).isEqualTo(1L);
    }

    @Test
    void theSessionCookieDoesNotOpenTheApi() {
        String tenant = TestApp.newTenant("console");
        var client = new ConsoleClient(app);
        client.signIn(app.createKey(tenant, "auditor"));
        var api = app.send(client.withCookies(app.request("/api/v1/events", null)).GET());
        assertThat(api.status()).isEqualTo(401);
    }

    @Test
    void aFormLargerThanAnyConsoleFormOrOfUnknownLengthIsRefusedUnread() {
        var big = app.send(app.request("/console/sign-in", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("key=" + "a".repeat(70_000))));
        assertThat(big.status()).isEqualTo(413);
        var unmeasured = app.send(app.request("/console/sign-in", null)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream("key=x".getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        assertThat(unmeasured.status()).isEqualTo(411);
    }

    @Test
    void wrongAndUnfitKeysAreRefused() {
        String tenant = TestApp.newTenant("console");
        var client = new ConsoleClient(app);
        var wrong = client.signIn("ak_not-a-key");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("not valid").doesNotContain("ak_not-a-key");
        var ingest = client.signIn(app.createKey(tenant, "ingest"));
        assertThat(ingest.status()).isEqualTo(403);
        assertThat(client.cookie("audit_session")).isNull();
    }

    @Test
    void aSignInFormFromAnotherSiteIsRefused() {
        String key = app.createKey(TestApp.newTenant("console"), "auditor");
        var client = new ConsoleClient(app);
        // no form token: what another site's form would post
        var reply = client.postForm("/console/sign-in", Map.of("key", key));
        assertThat(reply.status()).isEqualTo(403);
        assertThat(client.cookie("audit_session")).isNull();
    }

    @Test
    void changesNeedTheSessionsCsrfTokenAndThisOrigin() {
        String tenant = TestApp.newTenant("console");
        var client = new ConsoleClient(app);
        client.signIn(app.createKey(tenant, "auditor"));
        var without = client.postForm("/console/searches", Map.of("name", "x", "query", "range=24h"));
        assertThat(without.status()).isEqualTo(403);
        var wrong = client.postForm("/console/searches", Map.of("name", "x", "query", "range=24h", "csrf", "nope"));
        assertThat(wrong.status()).isEqualTo(403);
        var elsewhere = app.send(client.withCookies(app.request("/console/searches", null))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", "https://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("name=x&query=range%3D24h&csrf=" + client.csrf())));
        assertThat(elsewhere.status()).isEqualTo(403);
        assertThat(TestApp.rows("select * from console_saved_searches where tenant = ?", tenant)).isEmpty();
        var good = client.post("/console/searches", Map.of("name", "x", "query", "range=24h"));
        assertThat(good.status()).isEqualTo(303);
        assertThat(TestApp.rows("select * from console_saved_searches where tenant = ?", tenant)).hasSize(1);
    }

    @Test
    void signingOutEndsTheSessionAndIsRecorded() {
        String tenant = TestApp.newTenant("console");
        var client = new ConsoleClient(app);
        client.signIn(app.createKey(tenant, "auditor"));
        String token = client.cookie("audit_session");
        var out = client.post("/console/sign-out", Map.of());
        assertThat(out.status()).isEqualTo(303);
        assertThat(client.cookie("audit_session")).isNull();
        var again = app.send(app.request("/console/", null).header("Cookie", "audit_session=" + token).GET());
        assertThat(again.status()).isEqualTo(303);
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'console.signed_out'", tenant))
                .hasSize(1);
    }

    @Test
    void revokingTheKeyEndsItsSessions() {
        String tenant = TestApp.newTenant("console");
        String admin = app.createKey(tenant, "admin");
        var client = new ConsoleClient(app);
        client.signIn(admin);
        assertThat(client.get("/console/").status()).isEqualTo(200);
        String keyId = TestApp.rows("select id::text as id from api_keys where tenant = ?", tenant).get(0).get("id").toString();
        String other = app.createKey(tenant, "admin");
        assertThat(app.delete("/api/v1/keys/" + keyId, other).status()).isIn(200, 204);
        assertThat(client.get("/console/").status()).isEqualTo(303);
    }

    @Test
    void idleAndOldSessionsEnd() {
        String tenant = TestApp.newTenant("console");
        String key = app.createKey(tenant, "auditor");
        var idle = new ConsoleClient(app);
        idle.signIn(key);
        var old = new ConsoleClient(app);
        old.signIn(key);
        TestApp.tamper("update console_sessions set last_seen_at = now() - interval '16 minutes' "
                        + "where token_hash = sha256('" + idle.cookie("audit_session") + "'::bytea)",
                "update console_sessions set created_at = now() - interval '8 hours 1 minute' "
                        + "where token_hash = sha256('" + old.cookie("audit_session") + "'::bytea)");
        assertThat(idle.get("/console/").status()).isEqualTo(303);
        assertThat(old.get("/console/").status()).isEqualTo(303);
    }
}
