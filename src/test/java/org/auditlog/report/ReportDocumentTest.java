package org.auditlog.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.graphics.PDXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writes one sample report with every kind of content (kept as target/report-sample.pdf to look at) and
 * reads it back with Debian's poppler tools, as a reader's viewer would.
 */
class ReportDocumentTest {
    private static final String FOOTER = "tenant acme · 2026-11-01 to 2026-12-01";
    private static final int WORDS = 2_000;
    private static final int ROWS = 5_000;
    private static final List<String> HEADERS = List.of("Event ID", "Actor", "Action", "Chain hash");

    private static Path sample;
    private static int pages;
    private static String text;
    private static List<String> pageTexts;

    @BeforeAll
    static void writeSample() throws IOException {
        // PDFBox's glyph substitution logs every string it sets at DEBUG, the tests' default; the service logs at INFO
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.fontbox"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        sample = Path.of("target", "report-sample.pdf");
        Files.createDirectories(sample.getParent());
        try (ReportDocument report = ReportDocument.create("Access review — acme", FOOTER);
                OutputStream out = Files.newOutputStream(sample)) {
            report.cover("Quarterly access review", List.of(
                    Map.entry("Tenant", "acme"),
                    Map.entry("Period", "2026-11-01 to 2026-12-01"),
                    Map.entry("Prepared for", "Compliance office, internal audit and the external auditors of record")));
            report.section("Summary");
            report.paragraph("This report lists every recorded change to access rights in the period, the chain "
                    + "hash that seals each event, and the reviewers who signed it off.");
            report.keyValues(List.of(Map.entry("Events", "5,000"), Map.entry("Chain verified", "yes, unbroken"),
                    Map.entry("A long label that wraps onto a second line in its column", "and a value")));
            report.chart(barChart(), 260f);
            report.heading("Method");
            report.paragraph(words());
            report.section("Events");
            try (ReportDocument.Table table = report.table(HEADERS, 1.2f, 1.4f, 1.4f, 3f)) {
                for (int i = 1; i <= ROWS; i++) {
                    table.row(eventId(i), "user" + (i % 37) + "@acme.test", i % 3 == 0 ? "grant" : "revoke", hex(i));
                }
                assertEquals(ROWS, table.rows());
            }
            report.heading("Holds released");
            report.table(List.of("Hold", "Released by")).close();
            report.section("Unusual text");
            report.paragraph("Greek Ελληνικά, Cyrillic Русский, CJK 中文字, emoji 😀, bell \u0007, nul \u0000, "
                    + "escape \u001b[31m, tab\tend, zero\u200bwidth, lone \ud800 surrogate.");
            report.table(List.of("Name", "Value")).row("控制\u0001", "\u202eright-to-left override");
            report.section("Sign-off");
            report.signOff(List.of("Reviewed by", "Approved by"));
            report.writeTo(out);
            pages = report.pageCount();
        }
        text = run("/usr/bin/pdftotext", "-layout", sample.toString(), "-");
        pageTexts = List.of(text.split("\f", -1));
    }

    @Test
    void coverShowsTheTitleAndFacts() {
        String cover = pageTexts.get(0);
        assertTrue(cover.contains("Quarterly access review"), cover);
        assertTrue(cover.matches("(?s).*Tenant\\s+acme.*"), cover);
        assertTrue(cover.matches("(?s).*Period\\s+2026-11-01 to 2026-12-01.*"), cover);
        assertTrue(squash(cover).contains("externalauditorsofrecord"), cover);
    }

    @Test
    void sectionsStartPagesAndAreInTheOutline() throws IOException {
        assertTrue(pageTexts.get(1).contains("Summary"), pageTexts.get(1));
        try (PDDocument pdf = Loader.loadPDF(sample.toFile())) {
            List<String> titles = new ArrayList<>();
            pdf.getDocumentCatalog().getDocumentOutline().children().forEach(item -> titles.add(item.getTitle()));
            assertEquals(List.of("Summary", "Events", "Unusual text", "Sign-off"), titles);
            assertEquals("audit-service", pdf.getDocumentInformation().getCreator());
            assertEquals("Access review — acme", pdf.getDocumentInformation().getTitle());
        }
    }

    @Test
    void aLongParagraphWrapsAcrossPagesAndEveryWordExtracts() {
        Set<String> tokens = new HashSet<>(Arrays.asList(text.split("[\\s.]+")));
        for (int i = 1; i <= WORDS; i++) {
            assertTrue(tokens.contains(word(i)), "missing " + word(i));
        }
        int first = pageOf(word(1));
        int last = pageOf(word(WORDS));
        assertTrue(last > first, "the paragraph spans pages " + first + " to " + last);
    }

    @Test
    void aLongTableKeepsEveryRowAndCellAndRepeatsItsHeader() {
        String squashed = squash(text);
        Set<String> tokens = new HashSet<>(Arrays.asList(text.split("\\s+")));
        for (int i = 1; i <= ROWS; i++) {
            assertTrue(tokens.contains(eventId(i)), "missing row " + i);
            assertTrue(squashed.contains(hex(i)), "hash of row " + i + " is cut");
        }
        int first = pageOf(eventId(1));
        int last = pageOf(eventId(ROWS));
        assertTrue(last - first > 50, "the table spans pages " + first + " to " + last);
        for (int p = first; p <= last; p++) {
            assertTrue(pageTexts.get(p).contains("Chain hash"), "no header on page " + (p + 1));
        }
        int headers = count(text, "Chain hash");
        assertTrue(headers >= last - first + 1, headers + " headers for " + (last - first + 1) + " pages");
        assertTrue(pageTexts.get(pageOf("Holds released")).matches("(?s).*Holds released.*Released by.*none.*"));
    }

    @Test
    void everyPageHasItsNumberAndTheFooter() {
        assertEquals(pages + 1, pageTexts.size(), "pdftotext ends each page with a form feed");
        for (int p = 0; p < pages; p++) {
            String page = pageTexts.get(p);
            assertTrue(page.contains("Page " + (p + 1) + " of " + pages), page);
            assertTrue(page.contains(FOOTER), page);
        }
    }

    @Test
    void theChartIsDrawnAsVectorsWithRealText() throws IOException {
        int chartPage = pageOf("Events per day");
        assertTrue(pageTexts.get(chartPage).contains("Day of the month"));
        try (PDDocument pdf = Loader.loadPDF(sample.toFile())) {
            PDPage page = pdf.getPage(chartPage);
            List<PDFormXObject> forms = new ArrayList<>();
            assertFalse(hasImage(page.getResources(), forms), "the chart is an image");
            assertFalse(forms.isEmpty(), "the chart is not a form XObject");
            Set<String> operators = new java.util.HashSet<>();
            for (PDFormXObject form : forms) {
                for (Object token : new PDFStreamParser(form).parse()) {
                    if (token instanceof Operator op) {
                        operators.add(op.getName());
                    }
                }
            }
            assertTrue(operators.contains("f") || operators.contains("f*"), "no filled shapes: " + operators);
            assertTrue(operators.contains("l") || operators.contains("re"), "no paths: " + operators);
            assertTrue(operators.contains("Tj") || operators.contains("TJ"), "labels are not text: " + operators);
        }
    }

    @Test
    void unusualCharactersPrintAsThemselvesOrAQuestionMark() {
        String page = pageTexts.get(pageOf("Unusual text"));
        assertTrue(page.contains("Greek Ελληνικά, Cyrillic Русский, CJK ???, emoji ?"), page);
        assertTrue(squash(page).contains("tabend,zerowidth,lone?surrogate."), page);
        assertTrue(page.contains("escape [31m"), page);
        assertTrue(page.contains("right-to-left override"), page);
        assertFalse(page.chars().anyMatch(c -> c < 0x20 && c != '\n'), "a control character was printed");
    }

    @Test
    void signOffHasBlanksForEachReviewer() {
        String page = pageTexts.get(pageOf("Reviewed by:"));
        assertTrue(page.matches("(?s).*Reviewed by:\\s+Date:.*Approved by:\\s+Date:.*"), page);
    }

    @Test
    void popplerOpensItAndCountsThePages() {
        String info = run("/usr/bin/pdfinfo", sample.toString());
        assertTrue(info.matches("(?s).*\\nPages:\\s+" + pages + "\\n.*"), info);
        assertTrue(info.contains("Creator:         audit-service"), info);
        assertTrue(info.contains("Page size:       595.276 x 841.89 pts (A4)"), info);
    }

    /**
     * 20,000 rows, hundreds of pages (200,000 and thousands with -Dreport.rows=200000): the heap in use
     * after a collection, sampled ten times along the way, does not grow with the rows. The million-event
     * report at -Xmx256m is measured by bench/run.
     */
    @Test
    void heapStaysFlatForAHugeTable() throws IOException {
        int rowCount = Integer.getInteger("report.rows", 20_000);
        int sampleEvery = rowCount / 10;
        Runtime runtime = Runtime.getRuntime();
        List<Long> used = new ArrayList<>();
        Path big = Files.createTempFile("report-big", ".pdf");
        long started = System.nanoTime();
        int bigPages;
        try (ReportDocument report = ReportDocument.create("Heap check", FOOTER);
                OutputStream out = Files.newOutputStream(big)) {
            report.section("Events");
            try (ReportDocument.Table table = report.table(HEADERS, 1.2f, 1.4f, 1.4f, 3f)) {
                for (int i = 1; i <= rowCount; i++) {
                    table.row(eventId(i), "user" + (i % 37) + "@acme.test", "grant", Integer.toHexString(i));
                    if (i % sampleEvery == 0) {
                        System.gc();
                        used.add((runtime.totalMemory() - runtime.freeMemory()) >> 20);
                    }
                }
            }
            report.writeTo(out);
            bigPages = report.pageCount();
        } finally {
            System.out.printf("%d rows, heap MiB every %d rows: %s, %.1f s, %d bytes%n", rowCount, sampleEvery, used,
                    (System.nanoTime() - started) / 1e9, Files.size(big));
            Files.deleteIfExists(big);
        }
        System.out.println(bigPages + " pages");
        long growth = used.stream().mapToLong(Long::longValue).max().orElseThrow() - used.get(0);
        assertTrue(growth < 32, "heap grew by " + growth + " MiB: " + used);
        assertTrue(bigPages > rowCount / 100, bigPages + " pages");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private static JFreeChart barChart() {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int day = 1; day <= 14; day++) {
            data.addValue(40 + (day * 37) % 60, "events", Integer.toString(day));
        }
        return ChartFactory.createBarChart("Events per day", "Day of the month", "Events", data);
    }

    private static boolean hasImage(PDResources resources, List<PDFormXObject> forms) throws IOException {
        if (resources == null) {
            return false;
        }
        for (COSName name : resources.getXObjectNames()) {
            PDXObject object = resources.getXObject(name);
            if (object instanceof PDImageXObject) {
                return true;
            }
            if (object instanceof PDFormXObject form) {
                forms.add(form);
                if (hasImage(form.getResources(), forms)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String words() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= WORDS; i++) {
            b.append(word(i)).append(i % 13 == 0 ? ". " : " ");
        }
        return b.toString();
    }

    private static String word(int i) {
        return String.format("w%04d", i);
    }

    private static String eventId(int i) {
        return String.format("evt-%06d", i);
    }

    private static String hex(int i) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int pageOf(String needle) {
        for (int p = 0; p < pageTexts.size(); p++) {
            if (pageTexts.get(p).contains(needle)) {
                return p;
            }
        }
        return fail("\"" + needle + "\" is on no page");
    }

    private static String squash(String s) {
        return s.replaceAll("\\s+", "");
    }

    private static int count(String haystack, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(haystack);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Runs a poppler tool and returns what it prints; fails clearly when poppler-utils are missing. */
    private static String run(String... command) {
        if (!Files.isExecutable(Path.of(command[0]))) {
            fail(command[0] + " is missing: install Debian's poppler-utils to read the report back");
        }
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = process.getInputStream()) {
                in.transferTo(out);
            }
            int exit = process.waitFor();
            String printed = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, exit, String.join(" ", command) + " failed: " + printed);
            return printed;
        } catch (IOException e) {
            return fail("could not run " + command[0], e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail("interrupted running " + command[0], e);
        }
    }
}
