package org.auditlog.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.Test;

/** Report schedules through real HTTP, their job through the admin task, their mail through GreenMail. */
class ReportSchedulesTest {
    private static final TestApp APP = TestApp.get();
    private static final String PATH = "/api/v1/reports/schedules";

    private static TestApp.Reply put(String name, String key, Object body) {
        try {
            return APP.send(APP.request(PATH + "/" + name, key)
                    .PUT(HttpRequest.BodyPublishers.ofString(TestApp.JSON.writeValueAsString(body)))
                    .header("Content-Type", "application/json"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Map<String, Object> daily(String... recipients) {
        return Map.of("cron", "0 0 6 * * ?", "period", "previous-day", "recipients", List.of(recipients));
    }

    private static List<String> fields(TestApp.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        reply.json().get("details").forEach(detail -> fields.add(detail.get("field").asText()));
        return fields;
    }

    @Test
    void anAdminSetsReadsListsAndDeletesSchedulesWhichAreRecorded() {
        String tenant = TestApp.newTenant("schedules");
        String admin = APP.createKey(tenant, "admin");
        var created = put("weekly-access", admin, Map.of("cron", "0 0 7 ? * MON", "period", "previous-week",
                "recipients", List.of("ciso@example.com"), "title", "Weekly access review",
                "filters", Map.of("category", "authentication")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode schedule = created.json();
        assertThat(schedule.get("name").asText()).isEqualTo("weekly-access");
        assertThat(schedule.get("cron").asText()).isEqualTo("0 0 7 ? * MON");
        assertThat(schedule.get("period").asText()).isEqualTo("previous-week");
        assertThat(schedule.get("recipients")).hasSize(1);
        assertThat(schedule.get("title").asText()).isEqualTo("Weekly access review");
        assertThat(schedule.get("filters").get("category").asText()).isEqualTo("authentication");
        assertThat(schedule.has("createdAt") && schedule.has("updatedAt")).isTrue();
        assertThat(schedule.has("lastRunAt")).isFalse();
        Instant next = Instant.parse(schedule.get("nextRunAt").asText());
        assertThat(next.atOffset(ZoneOffset.UTC).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
        assertThat(next.atOffset(ZoneOffset.UTC).getHour()).isEqualTo(7);

        var replaced = put("weekly-access", admin, daily("ciso@example.com", "dpo@example.com"));
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(replaced.json().get("recipients")).hasSize(2);
        assertThat(replaced.json().get("title").asText()).isEqualTo(ReportRequest.DEFAULT_TITLE);
        assertThat(put("daily", admin, daily("ciso@example.com")).status()).isEqualTo(201);

        var list = APP.get(PATH, admin);
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        assertThat(list.json().get("schedules").findValuesAsText("name")).containsExactly("daily", "weekly-access");
        assertThat(APP.get(PATH + "/daily", admin).json().get("period").asText()).isEqualTo("previous-day");

        // another tenant's admin finds nothing; an auditor may not; the path is not taken for a report id
        String other = APP.createKey(TestApp.newTenant("schedules-other"), "admin");
        assertThat(APP.get(PATH + "/daily", other).status()).isEqualTo(404);
        assertThat(APP.delete(PATH + "/daily", other).status()).isEqualTo(404);
        assertThat(APP.get(PATH, other).json().get("schedules")).isEmpty();
        String auditor = APP.createKey(tenant, "auditor");
        assertThat(APP.get(PATH, auditor).status()).isEqualTo(403);
        assertThat(put("daily", auditor, daily("a@example.com")).status()).isEqualTo(403);

        assertThat(APP.delete(PATH + "/daily", admin).status()).isEqualTo(204);
        assertThat(APP.get(PATH + "/daily", admin).status()).isEqualTo(404);
        assertThat(APP.delete(PATH + "/daily", admin).status()).isEqualTo(404);
        assertThat(APP.get(PATH + "/unknown", admin).status()).isEqualTo(404);

        String keyId = TestApp.rows("select id::text as id from api_keys where tenant = ? and 'admin' = any(roles)", tenant)
                .get(0).get("id").toString();
        var recorded = TestApp.rows("select action, category, actor_id, resource_type, resource_id from audit_events "
                + "where tenant = ? and action like 'report.schedule.%' order by seq", tenant);
        assertThat(recorded).extracting(row -> row.get("action")).containsExactly("report.schedule.set",
                "report.schedule.set", "report.schedule.set", "report.schedule.deleted");
        assertThat(recorded).allSatisfy(row -> assertThat(row).containsEntry("category", "admin")
                .containsEntry("actor_id", keyId).containsEntry("resource_type", "report_schedule"));
        assertThat(recorded).extracting(row -> row.get("resource_id"))
                .containsExactly("weekly-access", "weekly-access", "daily", "daily");
    }

    @Test
    void badSchedulesAnswer422NamingTheField() {
        String tenant = TestApp.newTenant("schedules-bad");
        String admin = APP.createKey(tenant, "admin");
        assertThat(fields(put("bad", admin, Map.of("cron", "every day", "period", "previous-day",
                "recipients", List.of("a@example.com"))))).containsExactly("cron");
        assertThat(fields(put("bad", admin, Map.of("cron", "* * * * * ?", "period", "previous-day",
                "recipients", List.of("a@example.com"))))).containsExactly("cron");
        assertThat(fields(put("bad", admin, Map.of("cron", "0 0/30 * * * ?", "period", "previous-day",
                "recipients", List.of("a@example.com"))))).containsExactly("cron");
        assertThat(fields(put("bad", admin, Map.of("cron", "0 0 0 30 2 ?", "period", "previous-day",
                "recipients", List.of("a@example.com"))))).containsExactly("cron");
        assertThat(fields(put("bad", admin, Map.of("period", "yesterday", "recipients", List.of())))).containsExactly(
                "cron", "period", "recipients");
        assertThat(fields(put("bad", admin, Map.of("cron", "0 0 6 * * ?", "period", "previous-month",
                "recipients", List.of("a@example.com", "not an address", "A@example.com")))))
                .containsExactly("recipients[1]", "recipients[2]");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add("r" + i + "@example.com");
        }
        assertThat(fields(put("bad", admin, daily(many.toArray(String[]::new))))).containsExactly("recipients");
        var filtered = new java.util.HashMap<String, Object>(daily("a@example.com"));
        filtered.put("filters", Map.of("outcome", "maybe"));
        assertThat(fields(put("bad", admin, filtered))).containsExactly("filters.outcome");
        filtered.put("filters", Map.of("from", "2026-01-01T00:00:00Z"));
        assertThat(fields(put("bad", admin, filtered))).containsExactly("filters");
        filtered.put("filters", Map.of());
        filtered.put("title", "x".repeat(201));
        assertThat(fields(put("bad", admin, filtered))).containsExactly("title");
        var unknown = new java.util.HashMap<String, Object>(daily("a@example.com"));
        unknown.put("timezone", "Europe/Paris");
        assertThat(fields(put("bad", admin, unknown))).containsExactly("timezone");
        assertThat(fields(put("-bad", admin, daily("a@example.com")))).containsExactly("name");
        assertThat(fields(put("x".repeat(65), admin, daily("a@example.com")))).containsExactly("name");
        assertThat(APP.get(PATH, admin).json().get("schedules")).isEmpty();

        for (int i = 0; i < 20; i++) {
            assertThat(put("s" + i, admin, daily("a@example.com")).status()).isEqualTo(201);
        }
        assertThat(fields(put("s20", admin, daily("a@example.com")))).containsExactly("limits.reportSchedules");
        assertThat(put("s19", admin, daily("b@example.com")).status()).as("a replacement is not a new one").isEqualTo(200);
    }

    @Test
    void aDueScheduleMakesItsReportOnceAndMailsItWithThePdfAttached() throws Exception {
        String tenant = TestApp.newTenant("schedules-run");
        String admin = APP.createKey(tenant, "admin");
        String ingest = APP.createKey(tenant, "ingest");
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(Map.of("action", "user.login", "category", "authentication",
                    "occurredAt", day + "T1" + (i % 10) + ":00:00Z", "actor", Map.of("id", "alice")));
        }
        assertThat(APP.post("/api/v1/events/batch", ingest, Map.of("events", events)).status()).isEqualTo(201);
        String to1 = "ciso-" + UUID.randomUUID() + "@example.com";
        String to2 = "dpo-" + UUID.randomUUID() + "@example.com";
        GreenMail smtp = new GreenMail(new ServerSetup(TestApp.SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            var body = new java.util.HashMap<String, Object>(daily(to1, to2));
            body.put("title", "Daily logins");
            body.put("filters", Map.of("category", "authentication"));
            assertThat(put("daily-logins", admin, body).status()).isEqualTo(201);
            // the cron fires at 06:00 UTC: make its run due now instead of waiting for it
            TestApp.tamper("update report_schedules set next_run_at = now() - interval '1 minute' where tenant = '"
                    + tenant + "'");
            // several instances' jobs at once make one report
            var runs = new ArrayList<CompletableFuture<TestApp.Reply>>();
            for (int i = 0; i < 4; i++) {
                runs.add(CompletableFuture.supplyAsync(() -> APP.task(ReportSchedules.TASK)));
            }
            runs.forEach(run -> assertThat(run.join().status()).isEqualTo(200));
            assertThat(TestApp.rows("select id from reports where tenant = ?", tenant)).hasSize(1);

            JsonNode schedule = APP.get(PATH + "/daily-logins", admin).json();
            String reportId = schedule.get("lastReportId").asText();
            Instant firedAt = Instant.parse(schedule.get("lastRunAt").asText());
            assertThat(Instant.parse(schedule.get("nextRunAt").asText())).isAfter(Instant.now());
            TestApp.eventually("the report is done", () -> APP.get("/api/v1/reports/" + reportId, admin).json()
                    .get("status").asText().equals("done"));
            JsonNode report = APP.get("/api/v1/reports/" + reportId, admin).json();
            LocalDate firedOn = firedAt.atOffset(ZoneOffset.UTC).toLocalDate();
            assertThat(report.get("from").asText()).startsWith(firedOn.minusDays(1) + "T00:00:00");
            assertThat(report.get("to").asText()).startsWith(firedOn + "T00:00:00");
            assertThat(report.get("createdBy").asText()).isEqualTo("schedule:daily-logins");
            assertThat(report.get("title").asText()).isEqualTo("Daily logins");
            assertThat(report.get("filters").get("category").asText()).isEqualTo("authentication");

            TestApp.eventually("the report is mailed to both recipients", () -> {
                APP.task(ReportSchedules.TASK);
                return mailsTo(smtp, to1).size() == 2;
            });
            MimeMessage mail = mailsTo(smtp, to1).get(0);
            assertThat(mail.getSubject()).contains("Daily logins", tenant, firedOn.minusDays(1).toString(),
                    firedOn.toString());
            MimeMultipart parts = (MimeMultipart) mail.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            String text = parts.getBodyPart(0).getContent().toString();
            String sha256 = report.get("sha256").asText();
            assertThat(text).contains(reportId, sha256, "GET /api/v1/reports/" + reportId + "/download",
                    "GET /api/v1/reports/" + reportId + "/manifest", report.get("from").asText(), "attached");
            Part attachment = parts.getBodyPart(1);
            assertThat(attachment.getFileName()).endsWith(reportId + ".pdf");
            byte[] pdf = attachment.getInputStream().readAllBytes();
            assertThat(new String(pdf, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF");
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(pdf))).isEqualTo(sha256);

            // mailed once: another run sends nothing more
            APP.task(ReportSchedules.TASK);
            assertThat(mailsTo(smtp, to1)).hasSize(2);
            assertThat(mailsTo(smtp, to2)).hasSize(2);
            var recorded = TestApp.rows("select actor_id, actor_type, action from audit_events where tenant = ? "
                    + "and action in ('report.requested', 'report.mailed') order by seq", tenant);
            assertThat(recorded).extracting(row -> row.get("action")).containsExactly("report.requested", "report.mailed");
            assertThat(recorded).allSatisfy(row -> assertThat(row).containsEntry("actor_id", "schedule:daily-logins")
                    .containsEntry("actor_type", "service"));
        } finally {
            smtp.stop();
        }
    }

    /** GreenMail keeps one copy of a message per recipient it was delivered to; each names every recipient. */
    private static List<MimeMessage> mailsTo(GreenMail smtp, String recipient) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(message -> {
            try {
                return Arrays.stream(message.getAllRecipients()).anyMatch(a -> a.toString().equals(recipient));
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void aReportLargerThanTheAttachmentLimitIsMailedAsALinkOnly() throws Exception {
        Path file = Files.createTempFile("report", ".pdf");
        Files.write(file, "%PDF-1.7 a report of some size".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        UUID id = UUID.randomUUID();
        var report = new ReportRecord(id, "acme", "Daily logins", Instant.parse("2026-03-01T00:00:00Z"),
                Instant.parse("2026-03-02T00:00:00Z"), "{}", 42, "done", 3, "ab".repeat(32), "schedule:daily",
                Instant.parse("2026-03-02T06:00:00Z"), Instant.parse("2026-03-02T06:00:05Z"), file.toString(), "{}", null);
        var schedule = new ReportSchedule("acme", "daily", "0 0 6 * * ?", "previous-day", List.of("a@example.com"),
                "Daily logins", "{}", "key:1", Instant.EPOCH, Instant.EPOCH, null, id, null, null);

        ReportMail small = ReportMail.of(schedule, report, 10);
        assertThat(small.attachments()).isEmpty();
        assertThat(small.subject()).isEqualTo("Daily logins - acme - 2026-03-01 to 2026-03-02 (UTC)");
        assertThat(small.text()).contains(id.toString(), "ab".repeat(32), "larger than this service attaches",
                "GET /api/v1/reports/" + id + "/download", "GET /api/v1/reports/" + id + "/manifest");

        ReportMail large = ReportMail.of(schedule, report, Files.size(file));
        assertThat(large.attachments()).singleElement().satisfies(attachment -> {
            assertThat(attachment.file()).isEqualTo(file);
            assertThat(attachment.contentType()).isEqualTo("application/pdf");
        });
        assertThat(large.text()).contains("The PDF is attached", "GET /api/v1/reports/" + id + "/download");
    }

    @Test
    void periodsAreTheWholeDayWeekOrMonthBeforeTheFiringInUtc() {
        Instant wednesday = Instant.parse("2026-01-07T06:00:00Z");
        assertThat(ReportPeriod.PREVIOUS_DAY.before(wednesday)).isEqualTo(new ReportPeriod.Range(
                Instant.parse("2026-01-06T00:00:00Z"), Instant.parse("2026-01-07T00:00:00Z")));
        assertThat(ReportPeriod.PREVIOUS_WEEK.before(wednesday)).isEqualTo(new ReportPeriod.Range(
                Instant.parse("2025-12-29T00:00:00Z"), Instant.parse("2026-01-05T00:00:00Z")));
        assertThat(ReportPeriod.PREVIOUS_WEEK.before(Instant.parse("2026-01-05T00:00:00Z"))).isEqualTo(
                new ReportPeriod.Range(Instant.parse("2025-12-29T00:00:00Z"), Instant.parse("2026-01-05T00:00:00Z")));
        assertThat(ReportPeriod.PREVIOUS_MONTH.before(wednesday)).isEqualTo(new ReportPeriod.Range(
                Instant.parse("2025-12-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(ReportPeriod.PREVIOUS_MONTH.before(Instant.parse("2026-03-31T23:59:59Z"))).isEqualTo(
                new ReportPeriod.Range(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z")));
    }
}
