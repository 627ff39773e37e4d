package org.auditlog.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.auditlog.support.ConsoleClient;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** The admin pages through real HTTP: who may open them, and each change made through the API's services. */
class AdminPagesTest {
    private static final Pattern NEW_KEY = Pattern.compile("<pre id=\"new-key\">([^<]+)</pre>");

    private final TestApp app = TestApp.get();

    private record Admin(String tenant, ConsoleClient client) {
    }

    private Admin signedInAdmin() {
        String tenant = TestApp.newTenant("admin-pages");
        var client = new ConsoleClient(app);
        assertThat(client.signIn(app.createKey(tenant, "admin")).status()).isEqualTo(303);
        return new Admin(tenant, client);
    }

    private static void assertRedirectsTo(TestApp.Reply reply, String path) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(303);
        assertThat(reply.header("location")).endsWith(path);
    }

    private static String idOf(String body, String attribute, String name) {
        Matcher row = Pattern.compile("data-" + attribute + "=\"([0-9a-f-]{36})\">\\s*<td>" + Pattern.quote(name))
                .matcher(body);
        assertThat(row.find()).as("a row for " + name).isTrue();
        return row.group(1);
    }

    @Test
    void anAuditorIsRefusedWithAPageAndChangesNothing() {
        String tenant = TestApp.newTenant("admin-pages");
        var client = new ConsoleClient(app);
        client.signIn(app.createKey(tenant, "auditor"));
        for (String page : List.of("/console/admin/retention", "/console/admin/alerts", "/console/admin/keys")) {
            var reply = client.get(page);
            assertThat(reply.status()).isEqualTo(403);
            assertThat(reply.header("content-type")).startsWith("text/html");
            assertThat(reply.body()).contains("admin role").doesNotContain("/console/admin/retention\"");
        }
        var hold = client.post("/console/admin/retention/holds", Map.of("name", "sneaky"));
        assertThat(hold.status()).isEqualTo(403);
        assertThat(hold.header("content-type")).startsWith("text/html");
        var key = client.post("/console/admin/keys", Map.of("name", "sneaky", "roles", "admin"));
        assertThat(key.status()).isEqualTo(403);
        assertThat(TestApp.rows("select id from legal_holds where tenant = ?", tenant)).isEmpty();
        assertThat(TestApp.rows("select id from api_keys where tenant = ? and name = 'sneaky'", tenant)).isEmpty();
    }

    @Test
    void thePagesOpenForAnAdminWithoutInlineScriptOrStyleAndTheViewsAreRecorded() {
        var admin = signedInAdmin();
        for (String page : List.of("retention", "alerts", "keys")) {
            var reply = admin.client().get("/console/admin/" + page);
            assertThat(reply.status()).as(page).isEqualTo(200);
            assertThat(reply.body()).contains("aria-current=\"page\"").doesNotContain("<script>").doesNotContain(" style=");
        }
        String views = "select resource_id from audit_events where tenant = ? and action = 'console.viewed' "
                + "and resource_id like 'admin-%' order by seq";
        TestApp.eventually("the page views are recorded", () -> TestApp.rows(views, admin.tenant()).size() == 3);
        assertThat(TestApp.rows(views, admin.tenant())).extracting(r -> r.get("resource_id"))
                .containsExactly("admin-retention", "admin-alerts", "admin-keys");
    }

    @Test
    void aPolicySetOnThePageIsListedAndABadOneIsNamed() {
        var admin = signedInAdmin();
        assertRedirectsTo(admin.client().post("/console/admin/retention/policies",
                Map.of("category", "auth", "retainDays", "30")), "/console/admin/retention");
        var page = admin.client().get("/console/admin/retention");
        assertThat(page.body()).contains("<code>auth</code></td><td>30</td>");
        var bad = admin.client().post("/console/admin/retention/policies", Map.of("category", "auth", "retainDays", "soon"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("retainDays").contains("value=\"soon\"");
        var badCategory = admin.client().post("/console/admin/retention/policies", Map.of("category", "Auth!", "retainDays", "5"));
        assertThat(badCategory.status()).isEqualTo(422);
        assertThat(badCategory.body()).contains("category");
        assertThat(TestApp.rows("select retain_days from retention_policies where tenant = ?", admin.tenant()))
                .extracting(r -> r.get("retain_days")).containsExactly(30);
    }

    @Test
    void aHoldMadeOnThePageIsRecordedAsTheApiRecordsItAndCanBeReleased() {
        var admin = signedInAdmin();
        var created = admin.client().post("/console/admin/retention/holds", Map.of("name", "Case 42", "reason", "subpoena",
                "actorId", "suspect", "from", "2026-01-01T00:00", "to", ""));
        assertRedirectsTo(created, "/console/admin/retention");
        var page = admin.client().get("/console/admin/retention");
        assertThat(page.body()).contains("Case 42", "subpoena", "suspect", "2026-01-01T00:00:00");
        String id = idOf(page.body(), "hold", "Case 42");
        String keyId = TestApp.rows("select id::text as id from api_keys where tenant = ?", admin.tenant()).get(0).get("id")
                .toString();
        var recorded = TestApp.rows("select actor_id, actor_type, resource_id from audit_events where tenant = ? "
                + "and action = 'retention.hold.created'", admin.tenant());
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0)).containsEntry("actor_id", keyId).containsEntry("actor_type", "api_key")
                .containsEntry("resource_id", id);

        assertRedirectsTo(admin.client().post("/console/admin/retention/holds/" + id + "/release", Map.of()),
                "/console/admin/retention");
        assertThat(TestApp.rows("select released_at from legal_holds where id = ?::uuid", id).get(0).get("released_at"))
                .isNotNull();
        assertThat(TestApp.rows("select actor_id from audit_events where tenant = ? and action = 'retention.hold.released'",
                admin.tenant())).hasSize(1);
        var unknown = admin.client().post("/console/admin/retention/holds/not-a-hold/release", Map.of());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("hold not found");
    }

    @Test
    void aBadHoldFormIsRefusedWithTheFieldNamedAndNothingStored() {
        var admin = signedInAdmin();
        var noName = admin.client().post("/console/admin/retention/holds", Map.of("name", " ", "actorId", "x"));
        assertThat(noName.status()).isEqualTo(422);
        assertThat(noName.header("content-type")).startsWith("text/html");
        assertThat(noName.body()).contains("id=\"admin-error\"").contains("name must be 1 to 200 characters")
                .contains("value=\"x\"");
        var badFrom = admin.client().post("/console/admin/retention/holds", Map.of("name", "Case", "from", "yesterday"));
        assertThat(badFrom.status()).isEqualTo(422);
        assertThat(badFrom.body()).contains("filters.from");
        assertThat(TestApp.rows("select id from legal_holds where tenant = ?", admin.tenant())).isEmpty();
    }

    @Test
    void aDryRunShowsWhatARunWouldDeleteAndDeletesNothing() {
        var admin = signedInAdmin();
        app.append(admin.tenant(), List.of(TestApp.draft("old.one", "general", 40), TestApp.draft("old.two", "general", 40),
                TestApp.draft("new.one", "general", 1)));
        admin.client().post("/console/admin/retention/policies", Map.of("category", "*", "retainDays", "30"));
        var run = admin.client().post("/console/admin/retention/dry-run", Map.of());
        assertThat(run.status()).isEqualTo(200);
        assertThat(run.body()).contains("id=\"dry-run-result\"").contains("<strong>2</strong> events are past their policy")
                .contains("Nothing was deleted");
        assertThat(TestApp.count(admin.tenant())).isGreaterThanOrEqualTo(3);
        assertThat(TestApp.rows("select action from audit_events where tenant = ? and action like 'old.%'", admin.tenant()))
                .hasSize(2);
        assertThat(admin.client().get("/console/admin/retention").body()).contains("dry run");
    }

    @Test
    void aChannelAndARuleAreCreatedAndDeletedAndTheSecretIsNeverShown() {
        var admin = signedInAdmin();
        String secret = "a-webhook-secret-of-some-length";
        assertRedirectsTo(admin.client().post("/console/admin/alerts/channels", Map.of("type", "webhook",
                "url", "http://127.0.0.1:9/hook", "secret", secret)), "/console/admin/alerts");
        var page = admin.client().get("/console/admin/alerts");
        assertThat(page.body()).contains("http://127.0.0.1:9/hook").doesNotContain(secret);
        String channel = idOf(page.body(), "channel", "webhook");

        assertRedirectsTo(admin.client().post("/console/admin/alerts/rules", Map.of("name", "Failed logins",
                "action", "user.login", "outcome", "failure", "window", "PT5M", "thresholdType", "count", "gt", "10",
                "groupBy", "actorId", "severity", "critical", "channels", channel)), "/console/admin/alerts");
        page = admin.client().get("/console/admin/alerts");
        assertThat(page.body()).contains("Failed logins", "PT5M", "count &gt; 10.0", "critical");
        String rule = idOf(page.body(), "rule", "Failed logins");
        assertThat(TestApp.rows("select action from audit_events where tenant = ? and action like 'alert.%' order by seq",
                admin.tenant())).extracting(r -> r.get("action")).containsExactly("alert.channel.created", "alert.rule.created");

        var badRule = admin.client().post("/console/admin/alerts/rules", Map.of("name", "x", "window", "soon",
                "thresholdType", "count", "gt", "many"));
        assertThat(badRule.status()).isEqualTo(422);
        assertThat(badRule.body()).contains("window").contains("threshold.gt");
        var badChannel = admin.client().post("/console/admin/alerts/channels", Map.of("type", "webhook",
                "url", "not a url", "secret", "short"));
        assertThat(badChannel.status()).isEqualTo(422);
        assertThat(badChannel.body()).contains("url").contains("secret must be").doesNotContain("value=\"short\"");

        assertRedirectsTo(admin.client().post("/console/admin/alerts/rules/" + rule + "/delete", Map.of()),
                "/console/admin/alerts");
        assertRedirectsTo(admin.client().post("/console/admin/alerts/channels/" + channel + "/delete", Map.of()),
                "/console/admin/alerts");
        page = admin.client().get("/console/admin/alerts");
        assertThat(page.body()).doesNotContain("Failed logins").doesNotContain("127.0.0.1:9").contains("No alerts.");
        assertThat(admin.client().post("/console/admin/alerts/rules/" + rule + "/delete", Map.of()).status())
                .isEqualTo(404);
    }

    @Test
    void aNewKeyIsShownOnceWorksOnTheApiAndCanBeRevoked() {
        var admin = signedInAdmin();
        var created = admin.client().post("/console/admin/keys", Map.of("name", "reporting", "roles", "auditor"));
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.header("location")).isNull();
        assertThat(created.header("cache-control")).isEqualTo("no-store");
        Matcher shown = NEW_KEY.matcher(created.body());
        assertThat(shown.find()).isTrue();
        String secret = shown.group(1);
        assertThat(created.body().split(Pattern.quote(secret), -1)).hasSize(2);
        assertThat(app.get("/api/v1/events", secret).status()).isEqualTo(200);

        var page = admin.client().get("/console/admin/keys");
        assertThat(page.body()).contains("reporting").doesNotContain(secret);
        String id = idOf(page.body(), "key", "reporting");
        var recorded = TestApp.rows("select actor_type from audit_events where tenant = ? and action = 'api_key.created' "
                + "and resource_id = ?", admin.tenant(), id);
        assertThat(recorded).extracting(r -> r.get("actor_type")).containsExactly("api_key");

        assertRedirectsTo(admin.client().post("/console/admin/keys/" + id + "/revoke", Map.of()), "/console/admin/keys");
        assertThat(app.get("/api/v1/events", secret).status()).isEqualTo(401);
        assertThat(admin.client().get("/console/admin/keys").status()).isEqualTo(200);
    }

    @Test
    void aKeyFormWithoutARoleIsRefusedByName() {
        var admin = signedInAdmin();
        var reply = admin.client().post("/console/admin/keys", Map.of("name", "nothing"));
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.body()).contains("roles must name at least one").doesNotContain("id=\"new-key\"");
        assertThat(TestApp.rows("select id from api_keys where tenant = ? and name = 'nothing'", admin.tenant())).isEmpty();
    }

    @Test
    void revokingTheKeyOfTheSessionEndsTheSession() {
        var admin = signedInAdmin();
        String own = TestApp.rows("select id::text as id from api_keys where tenant = ?", admin.tenant()).get(0).get("id")
                .toString();
        assertThat(admin.client().get("/console/admin/keys").body()).contains("this session ends too");
        assertRedirectsTo(admin.client().post("/console/admin/keys/" + own + "/revoke", Map.of()), "/console/admin/keys");
        assertRedirectsTo(admin.client().get("/console/admin/keys"), "/console/sign-in");
    }
}
