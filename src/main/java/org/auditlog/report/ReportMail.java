package org.auditlog.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.auditlog.outbound.Mailer;

/**
 * The e-mail of a scheduled report: the subject names the title, tenant and period; the body gives the
 * report's id, period, SHA-256 and how to download it and its signed manifest; the PDF is attached
 * unless it is larger than {@code reports.maxAttachmentSize}, when the body says so and the link must do.
 */
record ReportMail(String subject, String text, List<Mailer.Attachment> attachments) {
    ReportMail {
        attachments = List.copyOf(attachments);
    }

    static ReportMail of(ReportSchedule schedule, ReportRecord report, long maxAttachmentBytes) {
        String period = report.from() + " to " + report.to();
        String subject = report.title() + " - " + schedule.tenant() + " - " + day(report.from()) + " to "
                + day(report.to()) + " (UTC)";
        if (!report.status().equals("done")) {
            return new ReportMail(subject + ": not made",
                    "The report of the schedule \"" + schedule.name() + "\" of tenant " + schedule.tenant()
                            + " could not be made.\n\n"
                            + "Report:  " + report.id() + "\n"
                            + "Period:  " + period + " (UTC; the end is not included)\n"
                            + "Error:   " + report.error() + "\n\n"
                            + "Request it again with POST /api/v1/reports and the same from, to and filters.\n",
                    List.of());
        }
        Path file = Path.of(report.filePath());
        long size = size(file);
        boolean attach = size <= maxAttachmentBytes;
        StringBuilder text = new StringBuilder()
                .append("The report of the schedule \"").append(schedule.name()).append("\" of tenant ")
                .append(schedule.tenant()).append(" is ready.\n\n")
                .append("Report:   ").append(report.id()).append('\n')
                .append("Title:    ").append(report.title()).append('\n')
                .append("Period:   ").append(period).append(" (UTC; the end is not included)\n")
                .append("Pages:    ").append(report.pageCount()).append('\n')
                .append("SHA-256:  ").append(report.sha256()).append("\n\n");
        if (attach) {
            text.append("The PDF is attached. ");
        } else {
            text.append("The PDF (").append(size).append(" bytes) is larger than this service attaches (")
                    .append(maxAttachmentBytes).append(" bytes): download it. ");
        }
        text.append("With a key of role auditor of tenant ").append(schedule.tenant()).append(":\n")
                .append("  Download: GET /api/v1/reports/").append(report.id()).append("/download\n")
                .append("  Manifest: GET /api/v1/reports/").append(report.id()).append("/manifest\n\n")
                .append("The manifest is signed by the service; its sha256 is the PDF's SHA-256 above.\n");
        List<Mailer.Attachment> attachments = attach
                ? List.of(new Mailer.Attachment(file, report.fileName(), "application/pdf"))
                : List.of();
        return new ReportMail(subject, text.toString(), attachments);
    }

    private static String day(String timestamp) {
        return timestamp.substring(0, 10);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("the report's file is missing: " + file, e);
        }
    }
}
