package org.auditlog.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueryTest {
    private static final TestApp APP = TestApp.get();
    private static String tenant;
    private static String key;

    /** Twelve events a minute apart, from 2026-01-01T00:00Z, with a spread of every filtered field. */
    @BeforeAll
    static void events() {
        tenant = TestApp.newTenant("query");
        key = APP.createKey(tenant, "ingest", "auditor");
        var events = new ArrayList<Map<String, Object>>();
        for (int i = 0; i < 12; i++) {
            Map<String, Object> event = new HashMap<>();
            event.put("action", i % 3 == 0 ? "user.login" : i % 3 == 1 ? "user.logout" : "document.view");
            event.put("actor", Map.of("id", "actor-" + (i % 4), "type", i % 2 == 0 ? "user" : "service"));
            event.put("occurredAt", String.format("2026-01-01T00:%02d:00Z", i));
            event.put("category", i < 6 ? "auth" : "data_access");
            event.put("outcome", i % 5 == 0 ? "failure" : "success");
            event.put("resource", Map.of("type", i % 2 == 0 ? "document" : "folder", "id", "r-" + (i % 3)));
            event.put("source", Map.of("ip", i % 2 == 0 ? "2001:DB8::" + i : "10.0.0." + i));
            event.put("requestId", "req-" + i);
            event.put("metadata", Map.of("team", i % 2 == 0 ? "red" : "blue", "level", i % 3, "flag", i == 7));
            events.add(event);
        }
        assertThat(APP.post("/api/v1/events/batch", key, Map.of("events", events)).status()).isEqualTo(201);
    }


    private static List<String> minutes(String query) {
        var reply = APP.get("/api/v1/events?limit=1000&" + query, key);
        assertThat(reply.status()).as(query + " -> " + reply).isEqualTo(200);
        List<String> minutes = new ArrayList<>();
        for (JsonNode event : reply.json().get("events")) {
            if (event.get("category").asText().equals("auth") || event.get("category").asText().equals("data_access")) {
                minutes.add(event.get("occurredAt").asText().substring(14, 16));
            }
        }
        return minutes;
    }

    @Test
    void newestFirstByDefaultAndOldestFirstOnRequest() {
        assertThat(minutes("category=auth")).containsExactly("05", "04", "03", "02", "01", "00");
        assertThat(minutes("category=auth&order=asc")).containsExactly("00", "01", "02", "03", "04", "05");
    }

    @Test
    void fromIsInclusiveAndToExclusive() {
        assertThat(minutes("from=2026-01-01T00:03:00Z&to=2026-01-01T00:06:00Z&order=asc"))
                .containsExactly("03", "04", "05");
        assertThat(minutes("from=" + encode("2026-01-01T01:03:00+01:00") + "&to=2026-01-01T00:04:00Z"))
                .containsExactly("03");
    }

    @Test
    void everyFieldFilterMatchesOnlyItsEvents() {
        assertThat(minutes("actorId=actor-1&order=asc")).containsExactly("01", "05", "09");
        assertThat(minutes("actorType=service&category=auth&order=asc")).containsExactly("01", "03", "05");
        assertThat(minutes("action=user.login&order=asc")).containsExactly("00", "03", "06", "09");
        assertThat(minutes("action=user.*&category=auth&order=asc")).containsExactly("00", "01", "03", "04");
        assertThat(minutes("action=document.*&order=asc")).containsExactly("02", "05", "08", "11");
        assertThat(minutes("outcome=failure&order=asc")).containsExactly("00", "05", "10");
        assertThat(minutes("resourceType=folder&resourceId=r-0&order=asc")).containsExactly("03", "09");
        assertThat(minutes("ip=" + encode("2001:db8:0:0::4"))).containsExactly("04");
        assertThat(minutes("ip=10.0.0.7")).containsExactly("07");
        assertThat(minutes("requestId=req-11")).containsExactly("11");
    }

    @Test
    void metadataFiltersMatchTopLevelValuesOfAnyType() {
        assertThat(minutes("meta.team=red&category=auth&order=asc")).containsExactly("00", "02", "04");
        assertThat(minutes("meta.level=2&order=asc")).containsExactly("02", "05", "08", "11");
        assertThat(minutes("meta.flag=true")).containsExactly("07");
        assertThat(minutes("meta.team=blue&meta.level=0&order=asc")).containsExactly("03", "09");
        assertThat(minutes("meta.team=green")).isEmpty();
    }

    @Test
    void pagesFollowTheCursorAcrossEqualTimestamps() {
        String otherKey = tenantWith("query-paging", 25,
                i -> Map.of("action", "same.time", "actor", Map.of("id", "a"), "occurredAt", "2026-02-01T00:00:00Z"));
        List<List<JsonNode>> pages = walk(otherKey, "action=same.time&limit=10");
        assertThat(pages).hasSize(3);
        List<Long> seqs = pages.stream().flatMap(List::stream).map(e -> e.get("seq").asLong()).toList();
        assertThat(seqs).hasSize(25).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    /**
     * A metadata match reads the newest events in order first (200 of them for a page of one) and
     * turns to the index when they do not fill the page: walking 300 events page by page, common and
     * rare values alike give exactly the matches, in order.
     */
    @Test
    void metadataPagesAreExactWhetherTheNewestEventsFillThemOrNot() {
        String otherKey = tenantWith("query-meta-pages", 300, i -> Map.of("action", "job.run", "actor", Map.of("id", "a"),
                "occurredAt", Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i).toString(),
                "metadata", Map.of("kind", i == 0 || i == 299 ? "rare" : i % 3 == 0 ? "common" : "other", "i", i)));
        assertThat(metaWalk(otherKey, "meta.kind=common&order=desc"))
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(297, i -> i > 0, i -> i - 3).boxed().toList());
        assertThat(metaWalk(otherKey, "meta.kind=common&order=asc"))
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(3, i -> i < 299, i -> i + 3).boxed().toList());
        assertThat(metaWalk(otherKey, "meta.kind=rare&order=desc")).containsExactly(299, 0);
        assertThat(metaWalk(otherKey, "meta.kind=rare&order=asc")).containsExactly(0, 299);
        assertThat(metaWalk(otherKey, "meta.kind=none")).isEmpty();
    }

    /**
     * Which statements a metadata match runs (see {@link MetadataWindows}), over 3,000 events and a
     * page of one, so a first window of 200: a common value fills it; a value that one event in 250
     * holds finds one match there and fills the page in the one wider window that share asks for; a
     * value held by the newest and the oldest event finds one match in each window and turns to the
     * index; a value held by the oldest only finds none and turns to the index at once. In a tenant
     * smaller than the first window, a window without a match is the whole answer. Every walk is
     * exact.
     */
    @Test
    void metadataMatchesReadAWiderWindowOnlyWhenTheFirstHeldSomeMatches() {
        String walkKey = APP.createKey(TestApp.newTenant("query-meta-windows"), "ingest", "auditor");
        for (int batch = 0; batch < 3; batch++) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = batch * 1000; i < (batch + 1) * 1000; i++) {
                events.add(Map.of("action", "job.run", "actor", Map.of("id", "a"),
                        "occurredAt", Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i).toString(),
                        "metadata", Map.of("i", i, "common", i % 3 == 0 ? "yes" : "no", "spaced", i % 250 == 150 ? "yes" : "no",
                                "ends", i == 0 || i == 2999 ? "yes" : "no", "oldest", i == 0 ? "yes" : "no")));
            }
            assertThat(APP.post("/api/v1/events/batch", walkKey, Map.of("events", events)).status()).isEqualTo(201);
        }
        assertThat(statements(walkKey, "meta.common=yes")).containsExactly(1L, 0L, 0L);
        assertThat(statements(walkKey, "meta.spaced=yes")).containsExactly(2L, 0L, 0L);
        assertThat(statements(walkKey, "meta.ends=yes")).containsExactly(2L, 0L, 1L);
        assertThat(statements(walkKey, "meta.oldest=yes")).containsExactly(1L, 1L, 1L);
        assertThat(metaWalk(walkKey, "meta.spaced=yes"))
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(2900, i -> i > 0, i -> i - 250).boxed().toList());
        assertThat(metaWalk(walkKey, "meta.ends=yes")).containsExactly(2999, 0);
        assertThat(metaWalk(walkKey, "meta.oldest=yes")).containsExactly(0);
        String smallKey = tenantWith("query-meta-small", 150, i -> Map.of("action", "job.run", "actor", Map.of("id", "a"),
                "metadata", Map.of("i", i)));
        assertThat(statements(smallKey, "meta.absent=yes")).as("a first window holding the whole tenant").containsExactly(1L, 1L, 0L);
        assertThat(metaWalk(smallKey, "meta.absent=yes")).isEmpty();
        assertThat(metaWalk(smallKey, "meta.i=7")).containsExactly(7);
    }

    /**
     * A tenant queried far more than it is written to: its newest events are its recorded reads, so
     * the first window (200 for a page of one) of a common value holds no match. Being mostly
     * recorded reads, it says nothing of how rare the value is, and a window reaching past the reads
     * is read instead of the index: with 250 reads, which fill the first window, the widest; with
     * 150, one of 350 that holds 200 events. A value that no event holds turns to the index after
     * that window. The walks stay exact.
     */
    @Test
    void aTenantsRecordedReadsDoNotSendACommonValueToTheIndex() {
        for (int reads : List.of(250, 150)) {
            String readTenant = TestApp.newTenant("query-meta-reads");
            String readKey = APP.createKey(readTenant, "ingest", "auditor");
            List<Map<String, Object>> events = java.util.stream.IntStream.range(0, 300)
                    .mapToObj(i -> Map.<String, Object>of("action", "job.run", "actor", Map.of("id", "a"),
                            "occurredAt", Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i).toString(),
                            "metadata", Map.of("i", i, "old", i % 3 == 0 && i < 200 ? "yes" : "no"))).toList();
            assertThat(APP.post("/api/v1/events/batch", readKey, Map.of("events", events)).status()).isEqualTo(201);
            for (int i = 0; i < reads; i++) {
                assertThat(APP.get("/api/v1/events?limit=1&action=nothing.such", readKey).status()).isEqualTo(200);
            }
            TestApp.eventually(reads + " reads recorded", () -> ((Number) TestApp.rows("select count(*) as n from audit_events "
                    + "where tenant = ? and category = 'audit_access'", readTenant).get(0).get("n")).longValue() >= reads);
            assertThat(statements(readKey, "meta.old=yes")).as(reads + " reads").containsExactly(2L, 1L, 0L);
            assertThat(statements(readKey, "meta.absent=yes")).as(reads + " reads").containsExactly(2L, 1L, 1L);
            assertThat(metaWalk(readKey, "meta.old=yes")).as(reads + " reads")
                    .containsExactlyElementsOf(java.util.stream.IntStream.iterate(198, i -> i >= 0, i -> i - 3).boxed().toList());
        }
    }

    /**
     * Ascending, a tenant's recorded reads come first when its events happened after them: the
     * first window (200) is reads only, and the events past it are read from where it ended.
     */
    @Test
    void anAscendingMatchReadsPastRecordedReadsThatComeFirst() {
        String readTenant = TestApp.newTenant("query-meta-reads-asc");
        String readKey = APP.createKey(readTenant, "ingest", "auditor");
        for (int i = 0; i < 250; i++) {
            assertThat(APP.get("/api/v1/events?limit=1&action=nothing.such", readKey).status()).isEqualTo(200);
        }
        TestApp.eventually("250 reads recorded", () -> ((Number) TestApp.rows("select count(*) as n from audit_events "
                + "where tenant = ? and category = 'audit_access'", readTenant).get(0).get("n")).longValue() >= 250);
        Instant soon = Instant.now().plusSeconds(120);
        List<Map<String, Object>> events = java.util.stream.IntStream.range(0, 300)
                .mapToObj(i -> Map.<String, Object>of("action", "job.run", "actor", Map.of("id", "a"),
                        "occurredAt", soon.plusMillis(i).toString(), "metadata", Map.of("i", i, "old", i % 3 == 0 && i < 200 ? "yes" : "no")))
                .toList();
        assertThat(APP.post("/api/v1/events/batch", readKey, Map.of("events", events)).status()).isEqualTo(201);
        assertThat(statements(readKey, "order=asc&meta.old=yes")).containsExactly(2L, 1L, 0L);
        assertThat(metaWalk(readKey, "order=asc&meta.old=yes"))
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(0, i -> i < 200, i -> i + 3).boxed().toList());
    }

    /**
     * A first window (200) of 150 recorded reads and 50 of 100 events that all happened at one time,
     * none of them matching: the wider window starts at that time, reads those 50 again, and the
     * walk of the 40 matches among the other 50 stays exact.
     */
    @Test
    void aWindowEndingAmongEventsOfOneTimeIsReadOnFromThatTime() {
        String tenantId = TestApp.newTenant("query-meta-ties");
        String tiesKey = APP.createKey(tenantId, "ingest", "auditor");
        List<Map<String, Object>> events = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> Map.<String, Object>of("action", "job.run", "actor", Map.of("id", "a"),
                        "occurredAt", "2026-03-01T00:00:00Z", "metadata", Map.of("i", i, "early", i < 40 ? "yes" : "no")))
                .toList();
        assertThat(APP.post("/api/v1/events/batch", tiesKey, Map.of("events", events)).status()).isEqualTo(201);
        for (int i = 0; i < 150; i++) {
            assertThat(APP.get("/api/v1/events?limit=1&action=nothing.such", tiesKey).status()).isEqualTo(200);
        }
        TestApp.eventually("150 reads recorded", () -> ((Number) TestApp.rows("select count(*) as n from audit_events "
                + "where tenant = ? and category = 'audit_access'", tenantId).get(0).get("n")).longValue() >= 150);
        assertThat(statements(tiesKey, "meta.early=yes")).containsExactly(2L, 1L, 0L);
        assertThat(metaWalk(tiesKey, "meta.early=yes"))
                .containsExactlyElementsOf(java.util.stream.IntStream.iterate(39, i -> i >= 0, i -> i - 1).boxed().toList());
    }

    /**
     * A value held by one event in 150 of 1,000 that all happened at one time: the first window
     * (200) holds one match, and the page is filled by reading on from that match in (time, seq)
     * order, not from the newest again. Every walk stays exact though no two events differ in time.
     */
    @Test
    void aWiderWindowReadsOnFromTheLastMatchAmongEventsOfOneTime() {
        String afterKey = tenantWith("query-meta-after", 1000, i -> Map.of("action", "job.run", "actor", Map.of("id", "a"),
                "occurredAt", "2026-03-01T00:00:00Z", "metadata", Map.of("i", i, "spaced", i % 150 == 100 ? "yes" : "no")));
        assertThat(statements(afterKey, "meta.spaced=yes")).containsExactly(2L, 0L, 0L);
        assertThat(metaWalk(afterKey, "meta.spaced=yes")).containsExactly(850, 700, 550, 400, 250, 100);
        assertThat(metaWalk(afterKey, "meta.spaced=yes&order=asc")).containsExactly(100, 250, 400, 550, 700, 850);
    }

    /** The reads in order, window mixes and plain reads that the first page of a query of one event ran. */
    private static List<Long> statements(String walkKey, String query) {
        var metrics = APP.support().getEnvironment().metrics();
        List<String> timers = java.util.stream.Stream.of("pageAmongNewest", "window", "page")
                .map(method -> QueryDao.class.getName() + "." + method).toList();
        List<Long> before = timers.stream().map(t -> metrics.timer(t).getCount()).toList();
        assertThat(APP.get("/api/v1/events?limit=1&" + query, walkKey).status()).isEqualTo(200);
        return java.util.stream.IntStream.range(0, timers.size())
                .mapToObj(i -> metrics.timer(timers.get(i)).getCount() - before.get(i)).toList();
    }

    /** A tenant of its own holding {@code count} events made by {@code event}; answers its key. */
    private static String tenantWith(String hint, int count, java.util.function.IntFunction<Map<String, Object>> event) {
        String otherKey = APP.createKey(TestApp.newTenant(hint), "ingest", "auditor");
        List<Map<String, Object>> events = java.util.stream.IntStream.range(0, count).mapToObj(event).toList();
        assertThat(APP.post("/api/v1/events/batch", otherKey, Map.of("events", events)).status()).isEqualTo(201);
        return otherKey;
    }

    /** The metadata {@code i} of every event of every page, one event a page. */
    private static List<Integer> metaWalk(String walkKey, String query) {
        return walk(walkKey, "limit=1&" + query).stream().flatMap(List::stream)
                .map(e -> e.get("metadata").get("i").asInt()).toList();
    }

    /** Every page of a query, following its cursor to the end. */
    private static List<List<JsonNode>> walk(String walkKey, String query) {
        List<List<JsonNode>> pages = new ArrayList<>();
        String cursor = null;
        do {
            var reply = APP.get("/api/v1/events?" + query + (cursor == null ? "" : "&cursor=" + cursor), walkKey);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            List<JsonNode> page = new ArrayList<>();
            reply.json().get("events").forEach(page::add);
            pages.add(page);
            cursor = reply.json().get("nextCursor").isNull() ? null : reply.json().get("nextCursor").asText();
        } while (cursor != null);
        return pages;
    }

    @Test
    void aChangedOrForeignOrMisusedCursorAnswers400() {
        var first = APP.get("/api/v1/events?category=auth&limit=2", key).json();
        String cursor = first.get("nextCursor").asText();
        char flipped = cursor.charAt(5) == 'A' ? 'B' : 'A';
        String changed = cursor.substring(0, 5) + flipped + cursor.substring(6);
        for (String bad : new String[] {changed, "not-a-cursor", "%25%00", cursor + "AA"}) {
            var reply = APP.get("/api/v1/events?category=auth&limit=2&cursor=" + bad, key);
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.json().get("details").get(0).get("field").asText()).isEqualTo("cursor");
        }
        assertThat(APP.get("/api/v1/events?category=data_access&limit=2&cursor=" + cursor, key).status()).isEqualTo(400);
        assertThat(APP.get("/api/v1/events?category=auth&order=asc&cursor=" + cursor, key).status()).isEqualTo(400);
        String foreign = APP.createKey(TestApp.newTenant("query-foreign"), "auditor");
        var reply = APP.get("/api/v1/events?category=auth&limit=2&cursor=" + cursor, foreign);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.body()).doesNotContain(tenant);
    }

    @Test
    void badParametersAnswer400NamingThem() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("from=yesterday", "from"),
                Map.entry("to=2026-13-01T00:00:00Z", "to"),
                Map.entry("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"),
                Map.entry("limit=0", "limit"),
                Map.entry("limit=1001", "limit"),
                Map.entry("limit=ten", "limit"),
                Map.entry("order=sideways", "order"),
                Map.entry("meta.=x", "meta."),
                Map.entry("action=User.Login", "action"),
                Map.entry("outcome=maybe", "outcome"),
                Map.entry("ip=300.1.1.1", "ip"),
                Map.entry("colour=red", "colour"),
                Map.entry("actorId=a&actorId=b", "actorId"));
        cases.forEach((query, field) -> {
            var reply = APP.get("/api/v1/events?" + query, key);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.json().get("details").get(0).get("field").asText()).as(query).isEqualTo(field);
        });
    }

    @Test
    void anotherTenantSeesNoneOfIt() {
        String foreign = APP.createKey(TestApp.newTenant("query-other"), "auditor");
        var reply = APP.get("/api/v1/events?action=user.login&limit=1000", foreign).json().get("events");
        reply.forEach(e -> assertThat(e.get("tenant").asText()).isNotEqualTo(tenant));
    }

    @Test
    void queriesAreRecordedInTheTenantsLog() {
        APP.get("/api/v1/events?actorId=recorded-query-marker", key);
        TestApp.eventually("the query is recorded", () -> !TestApp.rows(
                "select 1 from audit_events where tenant = ? and action = 'events.queried' "
                        + "and metadata->>'actorId' = 'recorded-query-marker' and category = 'audit_access'", tenant).isEmpty());
    }

    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
