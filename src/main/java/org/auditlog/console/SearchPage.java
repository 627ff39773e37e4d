package org.auditlog.console;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.auditlog.common.Timestamps;
import org.auditlog.event.AuditEvent;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventGroup;
import org.auditlog.query.Page;
import org.auditlog.query.QueryService;
import org.auditlog.query.SearchRequest;
import org.auditlog.query.Stats;
import org.auditlog.query.StatsRequest;

/**
 * The search page: the form, a histogram of the matching events over the range, facets that add a
 * filter, and a page of results with a link to the next. Everything comes from the same statistics
 * and search the API answers; the histogram is drawn here as SVG, so the page needs no chart script.
 */
public final class SearchPage extends ConsolePage {
    static final int PAGE_SIZE = 50;
    private static final int FACETS = 8;
    private static final int CHART_WIDTH = 960;
    private static final int CHART_HEIGHT = 140;

    public record Bar(String label, long count, double x, double y, double width, double height) {
    }

    public record Facet(String value, long count, String href) {
    }

    public record Row(String id, String occurredAt, String actor, String action, String resource, String outcome,
                      String ip) {
    }

    public record Saved(String id, String name, String href) {
    }

    private final ConsoleSearch search;
    private final String error;
    private final List<Bar> bars;
    private final long total;
    private final long peak;
    private final String bucket;
    private final Map<String, List<Facet>> facets;
    private final List<Row> rows;
    private final String nextCursor;
    private final List<Saved> saved;

    private SearchPage(Session session, ConsoleSearch search, String error, List<Bar> bars, long total, long peak,
                       String bucket, Map<String, List<Facet>> facets, List<Row> rows, String nextCursor,
                       List<Saved> saved) {
        super("search.ftlh", session, "Search", "search");
        this.search = search;
        this.error = error;
        this.bars = bars;
        this.total = total;
        this.peak = peak;
        this.bucket = bucket;
        this.facets = facets;
        this.rows = rows;
        this.nextCursor = nextCursor;
        this.saved = saved;
    }

    /** The page for a search that could not be read: the form again, with what was wrong. */
    static SearchPage refused(Session session, ConsoleSearch fallback, String error, List<Saved> saved) {
        return new SearchPage(session, fallback, error, List.of(), 0, 0, "", Map.of(), List.of(), null, saved);
    }

    static SearchPage of(Session session, ConsoleSearch search, Optional<String> cursor, QueryService queries,
                         List<Saved> saved) {
        var requester = session.caller().requester();
        Duration span = Duration.between(search.from(), search.to());
        ChronoUnit unit = span.compareTo(Duration.ofHours(3)) <= 0 ? ChronoUnit.MINUTES
                : span.compareTo(Duration.ofDays(3)) <= 0 ? ChronoUnit.HOURS : ChronoUnit.DAYS;
        EventGroup perBar = unit == ChronoUnit.MINUTES ? EventGroup.MINUTE
                : unit == ChronoUnit.HOURS ? EventGroup.HOUR : EventGroup.DAY;
        EventFilter filter = search.filter();
        Stats histogram = queries.stats(requester, new StatsRequest(filter, perBar));
        Map<String, List<Facet>> facets = new LinkedHashMap<>();
        for (EventGroup group : List.of(EventGroup.ACTION, EventGroup.ACTOR_ID, EventGroup.OUTCOME)) {
            facets.put(group.wireName(), facet(queries.stats(requester, new StatsRequest(filter, group)), search,
                    group.wireName()));
        }
        Page page = queries.search(requester, new SearchRequest(filter, PAGE_SIZE, false, cursor));
        List<Row> rows = page.events().stream().map(SearchPage::row).toList();
        List<Bar> bars = bars(histogram, search.from(), search.to(), unit);
        long peak = bars.stream().mapToLong(Bar::count).max().orElse(0);
        return new SearchPage(session, search, null, bars, histogram.total(), peak, perBar.wireName(), facets, rows,
                page.nextCursor(), saved);
    }

    private static Row row(AuditEvent event) {
        String resource = event.resource() == null ? ""
                : event.resource().type() + (event.resource().id() == null ? "" : ":" + event.resource().id());
        String actor = event.actor().name() != null ? event.actor().name() + " (" + event.actor().id() + ")"
                : event.actor().id();
        String ip = event.source() == null || event.source().ip() == null ? "" : event.source().ip();
        return new Row(event.id(), event.occurredAt(), actor, event.action(), resource, event.outcome(), ip);
    }

    private static List<Facet> facet(Stats stats, ConsoleSearch search, String field) {
        return stats.buckets().stream().limit(FACETS)
                .filter(b -> b.key() != null)
                .map(b -> new Facet(b.key(), b.count(), "?" + search.with(field, b.key()).query()))
                .toList();
    }

    /** One bar per hour or day of the range, empty ones included, scaled to the tallest. */
    static List<Bar> bars(Stats histogram, Instant from, Instant to, ChronoUnit unit) {
        Map<String, Long> counts = new LinkedHashMap<>();
        histogram.buckets().forEach(b -> counts.put(b.key(), b.count()));
        List<Instant> starts = new ArrayList<>();
        Instant end = to.minusNanos(1).truncatedTo(unit);
        for (Instant t = from.truncatedTo(unit); !t.isAfter(end); t = t.plus(1, unit)) {
            starts.add(t);
        }
        long peak = Math.max(1, counts.values().stream().mapToLong(Long::longValue).max().orElse(1));
        double width = (double) CHART_WIDTH / Math.max(1, starts.size());
        List<Bar> bars = new ArrayList<>(starts.size());
        for (int i = 0; i < starts.size(); i++) {
            String key = Timestamps.format(starts.get(i));
            long count = counts.getOrDefault(key, 0L);
            double height = count == 0 ? 0 : Math.max(1, (double) count / peak * CHART_HEIGHT);
            bars.add(new Bar(key, count, i * width, CHART_HEIGHT - height, Math.max(1, width - 1), height));
        }
        return bars;
    }

    public ConsoleSearch getSearch() {
        return search;
    }

    public String getError() {
        return error == null ? "" : error;
    }

    public List<Bar> getBars() {
        return bars;
    }

    public long getTotal() {
        return total;
    }

    public long getPeak() {
        return peak;
    }

    /** {@code minute}, {@code hour} or {@code day}: what one bar counts. */
    public String getBucket() {
        return bucket;
    }

    public int getChartWidth() {
        return CHART_WIDTH;
    }

    public int getChartHeight() {
        return CHART_HEIGHT;
    }

    public Map<String, List<Facet>> getFacets() {
        return facets;
    }

    public List<Row> getRows() {
        return rows;
    }

    /**
     * The next page: the range as fixed times (the cursor is bound to the search's exact bounds, and a
     * quick pick such as the last 24 hours has moved on by the time the link is followed), and the cursor.
     */
    public String getNextHref() {
        return nextCursor == null ? "" : "?" + search.permalinkQuery() + "&cursor=" + ConsoleSearch.encode(nextCursor);
    }

    public String getQuery() {
        return search.query();
    }

    public String getPermalink() {
        return "/console/?" + search.permalinkQuery();
    }

    public List<String> getQuickPicks() {
        return List.copyOf(ConsoleSearch.QUICK.keySet());
    }

    public List<Saved> getSaved() {
        return saved;
    }

    public String getFrom() {
        return Timestamps.format(search.from());
    }

    public String getTo() {
        return Timestamps.format(search.to());
    }

    /** For the custom range's fields: the range's ends as a browser's date-time input shows them (UTC). */
    public String getFromInput() {
        return search.from().truncatedTo(ChronoUnit.MINUTES).toString().replace("Z", "");
    }

    public String getToInput() {
        return search.to().truncatedTo(ChronoUnit.MINUTES).toString().replace("Z", "");
    }
}
