package org.auditlog.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;
import org.auditlog.support.ConsoleClient;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The officer's pages through real HTTP: search, histogram, facets, paging, an event, exports, saved searches. */
class ConsolePagesTest {
    private static final TestApp APP = TestApp.get();
    private static String tenant;
    private static String auditor;
    private static String ingest;

    @BeforeAll
    static void seed() {
        tenant = TestApp.newTenant("pages");
        auditor = APP.createKey(tenant, "auditor");
        ingest = APP.createKey(tenant, "ingest");
        ArrayNode events = TestApp.JSON.createArrayNode();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 60; i++) {
            ObjectNode event = events.addObject();
            event.put("action", i % 3 == 0 ? "user.login" : "document.read");
            event.put("occurredAt", now.minus(i * 10L, ChronoUnit.MINUTES).toString());
            event.put("category", i % 3 == 0 ? "authentication" : "data_access");
            event.put("outcome", i % 6 == 0 ? "failure" : "success");
            event.putObject("actor").put("id", "user-" + (i % 4)).put("name", "User " + (i % 4));
            event.putObject("source").put("ip", "203.0.113." + (i % 5 + 1));
            event.putObject("metadata").put("region", i % 2 == 0 ? "eu" : "us");
        }
        ObjectNode change = events.addObject();
        change.put("action", "role.granted");
        change.put("occurredAt", now.minus(5, ChronoUnit.MINUTES).toString());
        change.put("category", "admin");
        change.putObject("actor").put("id", "admin-1");
        change.putObject("resource").put("type", "user").put("id", "user-2");
        ObjectNode changes = change.putObject("changes");
        changes.putObject("before").put("role", "viewer").put("team", "ops");
        changes.putObject("after").put("role", "admin").put("team", "ops");
        change.putObject("metadata").put("note", "<script>alert(1)</script>");
        ObjectNode body = TestApp.JSON.createObjectNode();
        body.set("events", events);
        assertThat(APP.post("/api/v1/events/batch", ingest, body).status()).isEqualTo(201);
    }

    private static ConsoleClient signedIn() {
        var client = new ConsoleClient(APP);
        assertThat(client.signIn(auditor).status()).isEqualTo(303);
        return client;
    }

    @Test
    void aSearchShowsTheMatchingEventsTheirHistogramAndFacets() {
        var page = signedIn().get("/console/?range=24h&outcome=failure");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<strong id=\"total\">10</strong>");
        assertThat(Pattern.compile("<a href=\"/console/events/").matcher(page.body()).results().count())
                .isEqualTo(10);
        assertThat(page.body()).doesNotContain(">success</span>");
        // one bar per hour of the range, the failures' hours with a height
        assertThat(Pattern.compile("<rect [^>]*class=\"bar\"").matcher(page.body()).results().count()).isBetween(24L, 25L);
        assertThat(page.body()).containsPattern("height=\"[1-9][0-9.]*\" class=\"bar\"");
        // facets: a click adds the filter to the search in the address
        assertThat(page.body()).contains("href=\"?range=24h&amp;outcome=failure&amp;action=user.login\"");
    }

    @Test
    void theLastHourIsDrawnPerMinuteAndAMonthPerDay() {
        var client = signedIn();
        var hour = client.get("/console/?range=1h");
        assertThat(Pattern.compile("<rect [^>]*class=\"bar\"").matcher(hour.body()).results().count()).isBetween(60L, 61L);
        assertThat(hour.body()).contains("Events per minute");
        var month = client.get("/console/?range=30d");
        assertThat(Pattern.compile("<rect [^>]*class=\"bar\"").matcher(month.body()).results().count()).isBetween(30L, 31L);
        assertThat(month.body()).contains("Events per day");
    }

    @Test
    void theAddressHoldsTheSearchAndAPermalinkFixesItsTimes() {
        var page = signedIn().get("/console/?range=7d&actorId=user-1&meta=region%3Dus");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("value=\"user-1\"", "value=\"region=us\"");
        assertThat(page.body()).containsPattern("href=\"/console/\\?range=custom&amp;from=[^\"]+&amp;to=[^\"]+"
                + "&amp;actorId=user-1&amp;meta=region%3Dus\" id=\"permalink\"");
    }

    @Test
    void resultsPageWithTheApisCursor() throws InterruptedException {
        var client = signedIn();
        var first = client.get("/console/?range=24h");
        assertThat(first.body()).contains("id=\"next-page\"");
        var matcher = Pattern.compile("href=\"([^\"]+)\" id=\"next-page\"").matcher(first.body());
        assertThat(matcher.find()).isTrue();
        Thread.sleep(1100); // the last 24 hours have moved on: the link still pages the same search
        var second = client.get("/console/" + matcher.group(1).replace("&amp;", "&"));
        assertThat(second.status()).isEqualTo(200);
        var rows = Pattern.compile("<a href=\"/console/events/([^\"]+)\"");
        var firstIds = rows.matcher(first.body()).results().map(r -> r.group(1)).toList();
        var secondIds = rows.matcher(second.body()).results().map(r -> r.group(1)).toList();
        assertThat(firstIds).hasSize(SearchPage.PAGE_SIZE);
        assertThat(secondIds).isNotEmpty().doesNotContainAnyElementsOf(firstIds);
    }

    @Test
    void aBadSearchIsAClearRefusalNamingTheField() {
        var client = signedIn();
        var badOutcome = client.get("/console/?range=24h&outcome=loud");
        assertThat(badOutcome.status()).isEqualTo(400);
        assertThat(badOutcome.body()).contains("outcome").contains("id=\"search-error\"");
        var backwards = client.get("/console/?range=custom&from=2026-12-02T00:00&to=2026-12-01T00:00");
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.body()).contains("from");
        var unbounded = client.get("/console/?range=forever");
        assertThat(unbounded.status()).isEqualTo(400);
        assertThat(unbounded.body()).contains("range");
        var tooLong = client.get("/console/?range=custom&from=2020-01-01T00:00&to=2026-01-01T00:00");
        assertThat(tooLong.status()).isEqualTo(400);
    }

    @Test
    void onePageViewIsOneRecordNotOnePerQueryThePageMakes() throws InterruptedException {
        var client = signedIn();
        String actor = TestApp.rows("select id::text as id from api_keys where tenant = ? and roles @> array['auditor'] "
                + "order by created_at limit 1", tenant).get(0).get("id").toString();
        String resource = "user-" + java.util.UUID.randomUUID();
        client.get("/console/?range=24h&resourceId=" + resource);
        TestApp.eventually("the page view is recorded", () -> views(actor, resource) == 1);
        Thread.sleep(300); // reads are recorded in the background: a second record would have come by now
        assertThat(views(actor, resource)).isEqualTo(1);
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and actor_id = ? "
                + "and action in ('events.queried', 'events.stats')", tenant, actor)).isEmpty();
    }

    /** The console's records of views of the search for {@code resource}. */
    private static long views(String actor, String resource) {
        return TestApp.rows("select 1 from audit_events where tenant = ? and actor_id = ? and action = 'console.viewed' "
                + "and category = 'audit_access' and metadata->>'page' = 'search' and metadata->>'resourceId' = ?",
                tenant, actor, resource).size();
    }

    @Test
    void anEventsPageShowsItsFieldsItsChangesAndItsPlaceInTheChain() {
        var client = signedIn();
        String id = TestApp.rows("select id::text as id from audit_events where tenant = ? and action = 'role.granted'",
                tenant).get(0).get("id").toString();
        var page = client.get("/console/events/" + id);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"badge\"", "id=\"chain\"", "id=\"raw-json\"");
        assertThat(page.body()).containsPattern("<tr class=\"changed\"><th scope=\"row\">role</th>\\s*"
                + "<td class=\"before\">viewer</td><td class=\"after\">admin</td>");
        assertThat(page.body()).containsPattern("<tr><th scope=\"row\">team</th>\\s*<td class=\"before\">ops</td>");
        // a value a client sent is text, never markup
        assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;").doesNotContain("<script>alert(1)");
        TestApp.eventually("a checkpoint covers the event", () -> client.get("/console/events/" + id).body()
                .contains("class=\"badge verified\""));
    }

    @Test
    void anotherTenantsEventIsNotFound() {
        String other = TestApp.newTenant("other");
        String otherIngest = APP.createKey(other, "ingest");
        var created = APP.post("/api/v1/events", otherIngest, "{\"action\":\"user.login\",\"actor\":{\"id\":\"x\"}}");
        String id = created.json().get("id").asText();
        var client = signedIn();
        assertThat(client.get("/console/events/" + id).status()).isEqualTo(404);
        // a browser gets a page that says so, not the API's JSON
        var page = APP.send(client.withCookies(APP.request("/console/events/" + id, null))
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").GET());
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.headers().get("content-type").get(0)).startsWith("text/html");
        assertThat(page.body()).contains("id=\"error-message\"", "Back to the search");
    }

    @Test
    void theCurrentSearchDownloadsAsCsvAndTheDownloadIsRecorded() {
        var csv = signedIn().get("/console/export.csv?range=24h&outcome=failure");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.headers().get("content-type").get(0)).startsWith("text/csv");
        assertThat(csv.headers().get("content-disposition").get(0)).contains("attachment");
        assertThat(csv.body().lines()).hasSize(11);
        assertThat(csv.body().lines().skip(1)).allMatch(line -> line.contains("failure"));
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'export.streamed'", tenant))
                .isNotEmpty();
    }

    @Test
    void aBackgroundExportOfTheSearchIsSignedAndDownloadable() {
        var client = signedIn();
        var requested = client.post("/console/exports", Map.of("query", "range=24h&actorId=user-2", "format", "ndjson"));
        assertThat(requested.status()).isEqualTo(303);
        String location = requested.headers().get("location").get(0);
        String id = location.substring(location.lastIndexOf('/') + 1);
        TestApp.eventually("the export is done",
                () -> client.get("/console/exports/" + id + "/status").body().contains("\"status\":\"done\""));
        var page = client.get("/console/exports/" + id);
        assertThat(page.body()).contains("verify-export --file audit-" + tenant + "-" + id + ".ndjson",
                "--manifest audit-" + tenant + "-" + id + ".manifest.json", "--public-key ");
        var file = client.get("/console/exports/" + id + "/download");
        assertThat(file.status()).isEqualTo(200);
        assertThat(file.body().lines()).hasSize(15).allMatch(line -> line.contains("\"user-2\""));
        var manifest = client.get("/console/exports/" + id + "/manifest");
        assertThat(manifest.json().get("exportId").asText()).isEqualTo(id);
        assertThat(manifest.headers().get("content-disposition").get(0)).contains(".manifest.json");
    }

    @Test
    void searchesAreSavedPerKey() {
        var client = signedIn();
        assertThat(client.post("/console/searches", Map.of("name", "failed logins",
                "query", "range=7d&action=user.login&outcome=failure")).status()).isEqualTo(303);
        var page = client.get("/console/");
        assertThat(page.body()).contains(">failed logins</a>",
                "href=\"/console/?range=7d&amp;action=user.login&amp;outcome=failure\"");
        var another = new ConsoleClient(APP);
        another.signIn(APP.createKey(tenant, "auditor"));
        assertThat(another.get("/console/").body()).doesNotContain("failed logins");
        assertThat(client.post("/console/searches", Map.of("name", "", "query", "range=7d")).status()).isEqualTo(400);
        assertThat(client.post("/console/searches", Map.of("name", "bad", "query", "range=7d&outcome=loud")).status())
                .isEqualTo(400);
    }
}
