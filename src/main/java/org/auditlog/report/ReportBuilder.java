package org.auditlog.report;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.auditlog.common.Timestamps;
import org.auditlog.database.ReadDatabase;
import org.auditlog.filter.EventFilter;
import org.auditlog.filter.EventWhere;
import org.auditlog.integrity.IntegrityService;
import org.auditlog.integrity.PeriodEvidence;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.data.time.Day;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * Writes a report's document: every section from the statements of {@link ReportDao}, run in one
 * repeatable-read transaction (one snapshot for the whole report) and bounded by the report's
 * {@code asOfSeq}, so a report made again with the same {@code asOfSeq} counts the same. Aggregates
 * come from SQL; the lists are streamed into the document row by row, so memory stays flat however
 * long the period. It reads from the read replica while that keeps up and has replayed
 * {@code asOfSeq}, otherwise from the primary.
 */
public final class ReportBuilder {
    /** What was made: the page count, the period's seq range and each section's row count, for the manifest. */
    public record Made(int pageCount, Long firstSeq, Long lastSeq, Map<String, Long> sections) {
    }

    private final ReadDatabase reads;
    private final IntegrityService integrity;
    private final String version;

    public ReportBuilder(ReadDatabase reads, IntegrityService integrity, String version) {
        this.reads = requireNonNull(reads, "reads is null");
        this.integrity = requireNonNull(integrity, "integrity is null");
        this.version = requireNonNull(version, "version is null");
    }

    public Made write(ReportRecord report, EventFilter filter, OutputStream out) throws IOException {
        String tenant = report.tenant();
        Instant from = report.fromInstant();
        Instant to = report.toInstant();
        EventWhere where = EventWhere.of(tenant, filter.within(from, to)).atMostSeq(report.asOfSeq());
        EventWhere period = EventWhere.of(tenant, EventFilter.none().within(from, to)).atMostSeq(report.asOfSeq());
        Map<String, Long> sections = new LinkedHashMap<>();
        try (ReportDocument document = ReportDocument.create(report.title(),
                "tenant " + tenant + " · " + report.from() + " to " + report.to())) {
            // on the replica only once it has replayed the report's asOfSeq
            Jdbi jdbi = reads.forStreaming(replica -> replica.withExtension(ReportRecordDao.class,
                    dao -> dao.headSeq(tenant)) >= report.asOfSeq());
            ReportDao.SeqRange range = jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
                ReportDao dao = handle.attach(ReportDao.class);
                cover(document, report, filter);
                long total = summary(document, dao, where, report.asOfSeq());
                sections.put("summary", total);
                sections.put("authentication", authentication(document, dao, where));
                sections.put("privileged", privileged(document, dao, where));
                sections.put("dataAccess", dataAccess(document, dao, where));
                ReportDao.SeqRange seqs = dao.seqRange(period);
                PeriodEvidence evidence = seqs.firstSeq() == null ? null
                        : integrity.periodEvidence(tenant, seqs.firstSeq(), seqs.lastSeq());
                sections.put("retention", retention(document, dao, report, evidence));
                sections.put("alerts", alerts(document, dao, report));
                sections.put("integrity", integrityEvidence(document, period, seqs, evidence));
                appendix(document, report, filter, where, period, sections, seqs);
                return seqs;
            });
            document.writeTo(out);
            return new Made(document.pageCount(), range.firstSeq(), range.lastSeq(), sections);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void cover(ReportDocument document, ReportRecord report, EventFilter filter) {
        document.cover(report.title(), List.of(
                Map.entry("Tenant", report.tenant()),
                Map.entry("Period (UTC, by occurredAt)", report.from() + " to " + report.to() + " (end excluded)"),
                Map.entry("Filters", filter.describe().isEmpty() ? "none" : filter.describe().toString()),
                Map.entry("As of seq", Long.toString(report.asOfSeq())),
                Map.entry("Requested", report.createdAt() + " by " + report.createdBy()),
                Map.entry("Made", Timestamps.format(Timestamps.now())),
                Map.entry("Report id", report.id().toString()),
                Map.entry("Service version", version)));
    }

    private long summary(ReportDocument document, ReportDao dao, EventWhere where, long asOfSeq) {
        document.section("Summary");
        document.paragraph("This report was made by the audit service from the tenant's audit log. Every figure "
                + "comes from a query printed beside it, bounded by the period, the filters and seq <= " + asOfSeq
                + " (the newest event when the report was asked for), so the same request with the same asOfSeq "
                + "gives the same figures. The detached manifest signs this file's SHA-256; the appendix shows "
                + "how to check it and how to make the report again.");
        List<ReportDao.Total> totals = dao.totals(where);
        long total = totals.stream().mapToLong(ReportDao.Total::events).sum();
        Map<String, Long> byOutcome = new TreeMap<>();
        Map<String, Long> byCategory = new TreeMap<>();
        totals.forEach(t -> {
            byOutcome.merge(t.outcome(), t.events(), Long::sum);
            byCategory.merge(t.category(), t.events(), Long::sum);
        });
        List<Map.Entry<String, String>> facts = new ArrayList<>();
        facts.add(Map.entry("Events", Long.toString(total)));
        byOutcome.forEach((outcome, count) -> facts.add(Map.entry("Outcome " + outcome, Long.toString(count))));
        document.keyValues(facts);
        document.heading("Events by category and outcome");
        try (ReportDocument.Table table = document.table(List.of("Category", "Outcome", "Events"), 3, 2, 1)) {
            totals.forEach(t -> table.row(t.category(), t.outcome(), Long.toString(t.events())));
        }
        document.heading("Events by category");
        try (ReportDocument.Table table = document.table(List.of("Category", "Events"), 3, 1)) {
            byCategory.forEach((category, count) -> table.row(category, Long.toString(count)));
        }
        query(document, ReportDao.TOTALS, where);
        List<ReportDao.Day> days = dao.daily(where);
        document.chart(dailyChart(days), 240);
        try (ReportDocument.Table table = document.table(List.of("Day (UTC)", "Events", "Not successful"), 2, 1, 1)) {
            days.forEach(d -> table.row(d.day(), Long.toString(d.events()), Long.toString(d.failures())));
        }
        query(document, ReportDao.DAILY, where);
        return total;
    }

    private static JFreeChart dailyChart(List<ReportDao.Day> days) {
        TimeSeries events = new TimeSeries("Events");
        TimeSeries failures = new TimeSeries("Not successful");
        TimeZone utc = TimeZone.getTimeZone(ZoneOffset.UTC);
        for (ReportDao.Day d : days) {
            LocalDate date = LocalDate.parse(d.day());
            Day day = new Day(date.getDayOfMonth(), date.getMonthValue(), date.getYear());
            events.addOrUpdate(day, d.events());
            failures.addOrUpdate(day, d.failures());
        }
        TimeSeriesCollection dataset = new TimeSeriesCollection(utc);
        dataset.addSeries(events);
        dataset.addSeries(failures);
        JFreeChart chart = ChartFactory.createTimeSeriesChart("Events and failures per day", "Day (UTC)", "Events",
                dataset, true, false, false);
        chart.setBackgroundPaint(java.awt.Color.WHITE);
        chart.getXYPlot().setBackgroundPaint(java.awt.Color.WHITE);
        chart.getXYPlot().setDomainGridlinePaint(new java.awt.Color(0xDD, 0xDD, 0xDD));
        chart.getXYPlot().setRangeGridlinePaint(new java.awt.Color(0xDD, 0xDD, 0xDD));
        return chart;
    }

    private long authentication(ReportDocument document, ReportDao dao, EventWhere where) {
        document.section("Authentication");
        long refused = dao.refusedTotal(where);
        document.paragraph("Failed and denied authentication events (category authentication, or an action naming "
                + "a login or sign-in, with outcome failure or denied): " + refused + ". The ten actors and the ten "
                + "source addresses with the most, with the first and last time of each.");
        top(document, "By actor", "Actor", dao.refusedByActor(where));
        query(document, ReportDao.REFUSED_BY_ACTOR, where);
        top(document, "By source IP", "Source IP", dao.refusedByIp(where));
        query(document, ReportDao.REFUSED_BY_IP, where);
        return refused;
    }

    private static void top(ReportDocument document, String heading, String what, List<ReportDao.Top> rows) {
        document.heading(heading);
        try (ReportDocument.Table table = document.table(List.of(what, "Events", "First (UTC)", "Last (UTC)"), 3, 1, 2, 2)) {
            rows.forEach(r -> table.row(r.key(), Long.toString(r.events()), Timestamps.format(r.firstAt()),
                    Timestamps.format(r.lastAt())));
        }
    }

    private long privileged(ReportDocument document, ReportDao dao, EventWhere where) {
        document.section("Privileged activity");
        document.paragraph("Every admin event, key creation and revocation, role change, retention policy and legal "
                + "hold change and alert rule change of the period, in full, in time order.");
        long rows;
        try (ReportDocument.Table table = document.table(
                List.of("Time (UTC)", "Seq", "Actor", "Action", "Resource", "Outcome"), 2.2f, 0.8f, 1.8f, 2, 2, 1);
             Stream<ReportDao.Privileged> events = dao.privileged(where)) {
            events.forEach(e -> table.row(Timestamps.format(e.occurredAt()), Long.toString(e.seq()), e.actorId(),
                    e.action(), resource(e.resourceType(), e.resourceId()), e.outcome()));
            rows = table.rows();
        }
        query(document, ReportDao.PRIVILEGED_EVENTS, where);
        return rows;
    }

    private static String resource(String type, String id) {
        if (type == null) {
            return "";
        }
        return id == null ? type : type + ":" + id;
    }

    private long dataAccess(ReportDocument document, ReportDao dao, EventWhere where) {
        document.section("Data access and exports");
        document.paragraph("Who read or exported what, and how much: reads and exports of data and of this log, "
                + "counted by actor, action and resource type; rows are the exported rows where the event says.");
        long events = 0;
        try (ReportDocument.Table table = document.table(
                List.of("Actor", "Action", "Resource type", "Events", "Rows"), 2.5f, 2.5f, 2, 1, 1);
             Stream<ReportDao.Access> rows = dao.dataAccess(where)) {
            var iterator = rows.iterator();
            while (iterator.hasNext()) {
                ReportDao.Access a = iterator.next();
                table.row(a.actorId(), a.action(), a.resourceType(), Long.toString(a.events()),
                        a.rows() == null ? "" : Long.toString(a.rows()));
                events += a.events();
            }
        }
        query(document, ReportDao.DATA_ACCESS_BY_ACTOR, where);
        return events;
    }

    private long retention(ReportDocument document, ReportDao dao, ReportRecord report, PeriodEvidence evidence) {
        document.section("Retention");
        long rows = 0;
        document.heading("Runs in the period");
        List<ReportDao.Run> runs = dao.runs(report.tenant(), report.fromInstant(), report.toInstant());
        try (ReportDocument.Table table = document.table(
                List.of("Started (UTC)", "Trigger", "Dry run", "Eligible", "Deleted", "Held", "Error"), 2.2f, 1.2f, 1, 1, 1, 1, 2)) {
            runs.forEach(r -> table.row(Timestamps.format(r.startedAt()), r.trigger(), r.dryRun() ? "yes" : "no",
                    Long.toString(r.eligible()), Long.toString(r.deleted()), Long.toString(r.held()),
                    r.error() == null ? "" : r.error()));
        }
        rows += runs.size();
        query(document, ReportDao.RUNS, null);
        document.heading("Legal holds in force during the period");
        List<ReportDao.Hold> holds = dao.holds(report.tenant(), report.fromInstant(), report.toInstant());
        try (ReportDocument.Table table = document.table(
                List.of("Name", "Reason", "Filters", "Created (UTC)", "Released (UTC)"), 2, 2, 2.5f, 2, 2)) {
            holds.forEach(h -> table.row(h.name(), h.reason(), h.filters(), Timestamps.format(h.createdAt()),
                    h.releasedAt() == null ? "in force" : Timestamps.format(h.releasedAt())));
        }
        rows += holds.size();
        query(document, ReportDao.HOLDS, null);
        document.heading("Retention receipts for seqs of the period");
        rows += receipts(document, evidence);
        return rows;
    }

    private static long receipts(ReportDocument document, PeriodEvidence evidence) {
        List<PeriodEvidence.Receipt> receipts = evidence == null ? List.of() : evidence.receipts();
        try (ReportDocument.Table table = document.table(
                List.of("Receipt", "First seq", "Last seq", "Signed (UTC)", "Key"), 3, 1, 1, 2, 2.5f)) {
            receipts.forEach(r -> table.row(r.id().toString(), Long.toString(r.firstSeq()), Long.toString(r.lastSeq()),
                    Timestamps.format(r.createdAt()), r.keyId()));
        }
        return receipts.size();
    }

    private long alerts(ReportDocument document, ReportDao dao, ReportRecord report) {
        document.section("Alerts");
        document.paragraph("Alerts that fired or were resolved in the period.");
        List<ReportDao.Fired> alerts = dao.alerts(report.tenant(), report.fromInstant(), report.toInstant());
        try (ReportDocument.Table table = document.table(
                List.of("Fired (UTC)", "Resolved (UTC)", "Rule", "Severity", "Group", "Matched", "State"),
                2, 2, 2, 1, 1.5f, 1, 1)) {
            alerts.forEach(a -> table.row(Timestamps.format(a.firedAt()),
                    a.resolvedAt() == null ? "" : Timestamps.format(a.resolvedAt()), a.ruleName(), a.severity(),
                    a.groupKey(), Long.toString(a.matched()), a.state()));
        }
        query(document, ReportDao.ALERTS, null);
        return alerts.size();
    }

    private long integrityEvidence(ReportDocument document, EventWhere period, ReportDao.SeqRange seqs,
                                   PeriodEvidence evidence) {
        document.section("Integrity evidence");
        if (evidence == null) {
            document.paragraph("The period holds no event, so there is no part of the chain to verify.");
            query(document, ReportDao.SEQ_RANGE, period);
            return 0;
        }
        var chain = evidence.chain();
        List<Map.Entry<String, String>> facts = new ArrayList<>();
        facts.add(Map.entry("Events of the period (any filter aside)", Long.toString(seqs.events())));
        facts.add(Map.entry("Seq range verified", seqs.firstSeq() + " to " + seqs.lastSeq()));
        facts.add(Map.entry("Chain entries checked", Long.toString(chain.checked())));
        facts.add(Map.entry("Result", chain.ok() ? "verified" : "BROKEN"));
        if (!chain.ok()) {
            facts.add(Map.entry("First broken seq", String.valueOf(chain.firstBrokenSeq())));
            facts.add(Map.entry("Reason", String.valueOf(chain.reason())));
        }
        document.keyValues(facts);
        document.paragraph("Every event from the first to the last seq of the period was recomputed from its fields "
                + "and linked to the one before it; a seq deleted by retention is accounted for by the signed receipt "
                + "listed below. The signed checkpoints within the range and the first one after it vouch for it: "
                + "each one's Ed25519 signature was checked against the service's trusted keys.");
        document.heading("Signed checkpoints that vouch for the range");
        try (ReportDocument.Table table = document.table(List.of("Seq", "Signed (UTC)", "Key"), 1, 2, 3)) {
            evidence.checkpoints().forEach(c -> table.row(Long.toString(c.seq()), Timestamps.format(c.signedAt()),
                    c.keyId()));
        }
        document.heading("Retention receipts for missing seqs");
        receipts(document, evidence);
        query(document, ReportDao.SEQ_RANGE, period);
        return chain.checked();
    }

    private void appendix(ReportDocument document, ReportRecord report, EventFilter filter, EventWhere where,
                          EventWhere period, Map<String, Long> sections, ReportDao.SeqRange seqs) {
        document.section("Appendix for the auditor");
        document.heading("Parameters");
        document.keyValues(List.of(
                Map.entry("Tenant", report.tenant()),
                Map.entry("From (included)", report.from()),
                Map.entry("To (excluded)", report.to()),
                Map.entry("Filters", filter.describe().toString()),
                Map.entry("As of seq", Long.toString(report.asOfSeq())),
                Map.entry("Condition of every event statement", where.sql()),
                Map.entry("Its values", String.valueOf(new TreeMap<>(where.parameters())))));
        document.heading("Row counts, section by section");
        try (ReportDocument.Table table = document.table(List.of("Section", "Rows"), 3, 1)) {
            sections.forEach((name, rows) -> table.row(name, Long.toString(rows)));
        }
        document.paragraph("Reconciliation: the summary's events equal the sum of its category and outcome rows and "
                + "the sum of its days (both computed in SQL from the same condition); authentication, privileged "
                + "activity and data access count subsets of those events; integrity counts every chain entry from seq "
                + (seqs.firstSeq() == null ? "-" : seqs.firstSeq()) + " to " + (seqs.lastSeq() == null ? "-" : seqs.lastSeq())
                + ", the " + seqs.events() + " events of the period with no filter, and those received in between.");
        document.heading("How to make this report again");
        document.paragraph("POST /api/v1/reports with {\"from\": \"" + report.from() + "\", \"to\": \"" + report.to()
                + "\", \"title\": \"" + report.title() + "\", \"filters\": " + filter.describe() + ", \"asOfSeq\": "
                + report.asOfSeq() + "} and an auditor key of the tenant: the same figures, though events kept "
                + "arriving (a different file: its time of making differs). Check this file with its manifest: "
                + "java -jar audit-service.jar verify-export --file <this pdf> --manifest <manifest> --public-key <key>, "
                + "or with openssl as docs/integrity.md shows.");
        document.section("Review and sign-off");
        document.signOff(List.of(
                "Reviewed by (name and role):",
                "Signature:",
                "Date:",
                "Exceptions noted:",
                "Follow-up actions:"));
    }

    /** The statement that made the figures above it, with the report's condition and values in it. */
    private static void query(ReportDocument document, String sql, EventWhere where) {
        String text = where == null ? sql + "   [:tenant, :from, :to are the report's tenant and period]"
                : sql.replace("<where>", where.sql()) + "   " + new TreeMap<>(where.parameters());
        document.paragraph("Query: " + text);
    }
}
