package org.auditlog.report;

import de.rototor.pdfbox.graphics2d.IPdfBoxGraphics2DFontTextDrawer;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D;
import de.rototor.pdfbox.graphics2d.PdfBoxGraphics2DFontTextDrawer;
import java.awt.Font;
import java.awt.geom.Rectangle2D;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccess;
import org.apache.pdfbox.io.RandomAccessReadView;
import org.apache.pdfbox.io.RandomAccessStreamCache;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.PageMode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.destination.PDPageFitWidthDestination;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDDocumentOutline;
import org.apache.pdfbox.pdmodel.interactive.documentnavigation.outline.PDOutlineItem;
import org.apache.pdfbox.util.Matrix;
import org.jfree.chart.JFreeChart;

/**
 * A long A4 report written page by page: each page's content goes to a temporary file as it is drawn and
 * is closed when the page is full, so a report of thousands of pages needs no more heap than one of ten.
 * The caller gives plain text; this class decides the layout. Text is set in Liberation Sans, embedded as
 * a subset, so what a reader copies or a tool extracts is the text that was given; characters the font
 * lacks print as '?', control characters are left out. Not thread-safe: one report, one thread.
 *
 * <p>Call the content methods in reading order, then {@link #writeTo(OutputStream)} once, then
 * {@link #close()}.
 */
public final class ReportDocument implements Closeable {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";
    private static final PDRectangle A4 = PDRectangle.A4;
    private static final float MARGIN = 56f;
    private static final float WIDTH = A4.getWidth() - 2 * MARGIN;
    private static final float TOP = A4.getHeight() - 78f;
    private static final float BOTTOM = 70f;
    /** Liberation Sans's ascender and descender, per point of font size. */
    private static final float ASCENT = 0.905f;
    private static final float DESCENT = 0.212f;

    private static final float BODY = 10f;
    private static final float BODY_LEADING = 14f;
    private static final float CELL = 8.5f;
    private static final float CELL_LEADING = 11f;
    private static final float CELL_PAD = 3f;
    private static final float SECTION = 18f;
    private static final float HEADING = 13f;
    private static final float TITLE = 28f;
    private static final float RUNNING = 8f;

    private static final float[] INK = {0.13f, 0.13f, 0.13f};
    private static final float[] MUTED = {0.42f, 0.44f, 0.47f};
    private static final float[] ACCENT = {0.10f, 0.24f, 0.42f};
    private static final float[] RULE = {0.78f, 0.80f, 0.83f};
    private static final float[] HEADER_FILL = {0.92f, 0.94f, 0.97f};

    private final PDDocument document;
    private final PDType0Font font;
    private final PDResources resources = new PDResources();
    private final PDDocumentOutline outline = new PDDocumentOutline();
    private final String title;
    private final String footer;
    private final BitSet glyphKnown = new BitSet();
    private final BitSet glyphPresent = new BitSet();
    private final float[] widths = new float[0x10000];

    private PDPage page;
    private PDPageContentStream content;
    /** The top of the free space on the page, in points from the bottom edge. */
    private float y;
    /** Where the free space began when the page (or its repeated table header) was new. */
    private float fresh;
    private boolean pageDone = true;
    private Table openTable;
    private PdfBoxGraphics2DFontTextDrawer chartText;
    private RandomAccessStreamCache spillCache;
    private RandomAccess spill;
    private boolean written;
    private boolean closed;

    private ReportDocument(String title, String footer) throws IOException {
        this.document = new PDDocument(IOUtils.createTempFileOnlyStreamCache());
        try (InputStream in = PDDocument.class.getResourceAsStream(FONT)) {
            if (in == null) {
                throw new IOException("the font " + FONT + " is not on the class path");
            }
            this.font = PDType0Font.load(document, in, true);
        } catch (IOException | RuntimeException e) {
            document.close();
            throw e;
        }
        java.util.Arrays.fill(widths, Float.NaN);
        this.title = printable(title, false);
        this.footer = printable(footer, false);
        document.getDocumentCatalog().setDocumentOutline(outline);
        document.getDocumentCatalog().setPageMode(PageMode.USE_OUTLINES);
        PDDocumentInformation info = document.getDocumentInformation();
        info.setTitle(plain(title));
        info.setCreator("audit-service");
        info.setCreationDate(Calendar.getInstance());
    }

    /** A new report; the footer (e.g. "tenant acme · 2026-11-01 to 2026-12-01") goes on every page. */
    public static ReportDocument create(String title, String footer) {
        try {
            return new ReportDocument(title, footer);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the report", e);
        }
    }

    /** The first page: the title in large type and the facts as label and value lines; the page stands alone. */
    public void cover(String coverTitle, List<Map.Entry<String, String>> facts) {
        block(() -> {
            startPage(false);
            y = A4.getHeight() - 210f;
            for (String line : wrap(printable(coverTitle, true), TITLE, WIDTH)) {
                text(MARGIN, baseline(y, TITLE, TITLE * 1.2f), TITLE, ACCENT, line);
                y -= TITLE * 1.2f;
            }
            y -= 10f;
            content.setStrokingColor(ACCENT[0], ACCENT[1], ACCENT[2]);
            content.setLineWidth(2.5f);
            line(MARGIN, y, MARGIN + 96f, y);
            y -= 30f;
            labelled(facts, 11f, 16f, 4f);
            pageDone = true;
        });
    }

    /** Starts a new page with the section's name as its heading, and adds the section to the outline. */
    public void section(String name) {
        block(() -> {
            if (pageDone || y < fresh - 0.01f) {
                startPage(true);
            }
            String clean = printable(name, true);
            for (String line : wrap(clean, SECTION, WIDTH)) {
                text(MARGIN, baseline(y, SECTION, SECTION * 1.25f), SECTION, ACCENT, line);
                y -= SECTION * 1.25f;
            }
            y -= 4f;
            content.setStrokingColor(ACCENT[0], ACCENT[1], ACCENT[2]);
            content.setLineWidth(0.8f);
            line(MARGIN, y, MARGIN + WIDTH, y);
            y -= 16f;
            PDPageFitWidthDestination destination = new PDPageFitWidthDestination();
            destination.setPage(page);
            destination.setTop((int) A4.getHeight());
            PDOutlineItem item = new PDOutlineItem();
            item.setTitle(plain(name));
            item.setDestination(destination);
            outline.addLast(item);
        });
    }

    /** A sub-heading; it moves to a new page rather than stand alone at the foot of one. */
    public void heading(String text) {
        block(() -> {
            List<String> lines = wrap(printable(text, true), HEADING, WIDTH);
            float leading = HEADING * 1.3f;
            float gap = y < fresh - 0.01f ? 8f : 0f;
            if (y - gap - lines.size() * leading - 4f - 3 * BODY_LEADING < BOTTOM) {
                startPage(true);
                gap = 0f;
            }
            y -= gap;
            for (String line : lines) {
                text(MARGIN, baseline(y, HEADING, leading), HEADING, ACCENT, line);
                y -= leading;
            }
            y -= 4f;
        });
    }

    /** Text wrapped to the page width, flowing onto as many pages as it needs; a newline starts a new line. */
    public void paragraph(String text) {
        block(() -> {
            List<List<String>> cell = List.of(wrap(printable(text, true), BODY, WIDTH));
            flow(cell, new float[] {MARGIN}, BODY, BODY_LEADING, 0f, new float[][] {INK}, false, false, () -> { });
            y -= 8f;
        });
    }

    /** Label and value pairs in two columns, each wrapped in its column. */
    public void keyValues(List<Map.Entry<String, String>> rows) {
        block(() -> {
            labelled(rows, BODY, BODY_LEADING, 2f);
            y -= 8f;
        });
    }

    /**
     * A table whose rows are written as they come: column widths are in proportion to relativeWidths
     * (one for each header, or none for equal columns). Close it before adding anything else.
     */
    public Table table(List<String> headers, float... relativeWidths) {
        if (headers.isEmpty()) {
            throw new IllegalArgumentException("a table has at least one column");
        }
        if (relativeWidths.length != 0 && relativeWidths.length != headers.size()) {
            throw new IllegalArgumentException(
                    headers.size() + " columns but " + relativeWidths.length + " widths");
        }
        Table[] table = new Table[1];
        block(() -> table[0] = new Table(headers, relativeWidths));
        return table[0];
    }

    /** The chart drawn as vectors across the text width, on a new page if it does not fit on this one. */
    public void chart(JFreeChart chart, float heightPoints) {
        block(() -> {
            float height = Math.max(24f, Math.min(heightPoints, TOP - BOTTOM - 8f));
            if (pageDone || y - height < BOTTOM) {
                startPage(true);
            }
            PdfBoxGraphics2D graphics = new PdfBoxGraphics2D(document, WIDTH, height);
            graphics.setFontTextDrawer(chartText());
            try {
                chart.draw(graphics, new Rectangle2D.Double(0, 0, WIDTH, height));
            } finally {
                graphics.dispose();
            }
            content.saveGraphicsState();
            content.transform(Matrix.getTranslateInstance(MARGIN, y - height));
            content.drawForm(graphics.getXFormObject());
            content.restoreGraphicsState();
            y -= height + 12f;
        });
    }

    /**
     * A sign-off block kept on one page: for each line (a role such as "Reviewed by") a blank to sign
     * and a blank for the date.
     */
    public void signOff(List<String> lines) {
        block(() -> {
            float each = 34f;
            if (pageDone || y - 12f - lines.size() * each < BOTTOM) {
                startPage(true);
            }
            y -= 12f;
            float dateX = MARGIN + WIDTH * 0.68f;
            content.setStrokingColor(INK[0], INK[1], INK[2]);
            content.setLineWidth(0.6f);
            for (String role : lines) {
                String label = printable(role, false).strip();
                label = label.endsWith(":") ? label : label + ":";
                float base = y - 22f;
                String fitted = fit(label, BODY, WIDTH * 0.30f);
                text(MARGIN, base, BODY, INK, fitted);
                float signFrom = MARGIN + Math.max(width(fitted, BODY) + 8f, WIDTH * 0.22f);
                line(signFrom, base - 2f, dateX - 16f, base - 2f);
                text(dateX, base, BODY, INK, "Date:");
                line(dateX + width("Date:", BODY) + 8f, base - 2f, MARGIN + WIDTH, base - 2f);
                y -= each;
            }
            y -= 8f;
        });
    }

    /** The pages written so far. */
    public int pageCount() {
        return document.getNumberOfPages();
    }

    /**
     * Puts the footer and "Page N of M" on every page and writes the document to out, which stays open.
     * Called once.
     */
    public void writeTo(OutputStream out) {
        if (written) {
            throw new IllegalStateException("the report was already written");
        }
        block(() -> {
            finishTable();
            endPage();
            written = true;
            int total = document.getNumberOfPages();
            int number = 0;
            for (PDPage each : document.getPages()) {
                number++;
                // the page's own content leaves the graphics state as it found it: no need to wrap it
                try (PDPageContentStream foot = new PDPageContentStream(document, each, AppendMode.APPEND, true, false)) {
                    drawFooter(foot, "Page " + number + " of " + total);
                }
                spill(each);
            }
            if (outline.getFirstChild() != null) {
                outline.openNode();
            }
            OutputStream shield = new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    flush();
                }
            };
            try (OutputStream buffered = new BufferedOutputStream(shield, 1 << 16)) {
                document.save(buffered);
            }
        });
    }

    /** Releases the temporary file behind the pages. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (PDDocument doc = document) {
            if (content != null) {
                content.close();
                content = null;
            }
            if (chartText != null) {
                chartText.close();
            }
            if (spillCache != null) {
                spill.close();
                spillCache.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not release the report's temporary file", e);
        }
    }

    /** A table being written: rows go straight onto the pages, none is kept. */
    public final class Table implements AutoCloseable {
        private final List<List<String>> header;
        private final float[] xs;
        private final float[] ws;
        private final float[][] colors;
        private long rows;
        private boolean done;

        private Table(List<String> headers, float[] relativeWidths) throws IOException {
            finishTable();
            int n = headers.size();
            float sum = 0f;
            for (int i = 0; i < n; i++) {
                float w = relativeWidths.length == 0 ? 1f : relativeWidths[i];
                if (!(w > 0f) || Float.isInfinite(w)) {
                    throw new IllegalArgumentException("a column's width is a positive number, not " + w);
                }
                sum += w;
            }
            xs = new float[n];
            ws = new float[n];
            colors = new float[n][];
            float x = MARGIN;
            for (int i = 0; i < n; i++) {
                ws[i] = WIDTH * (relativeWidths.length == 0 ? 1f : relativeWidths[i]) / sum;
                xs[i] = x;
                x += ws[i];
                colors[i] = INK;
            }
            List<List<String>> cells = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                cells.add(wrap(printable(headers.get(i), true), CELL, ws[i] - 2 * CELL_PAD));
            }
            header = List.copyOf(cells);
            if (pageDone || y - height(header) - CELL_LEADING - 2 * CELL_PAD < BOTTOM) {
                startPage(true);
            }
            drawHeader();
            openTable = this;
        }

        /** One row, a cell for each column (missing cells are blank); tall cells make the row taller. */
        public void row(String... cells) {
            if (done) {
                throw new IllegalStateException("the table is closed");
            }
            if (cells.length > xs.length) {
                throw new IllegalArgumentException(cells.length + " cells for " + xs.length + " columns");
            }
            run(() -> {
                List<List<String>> lines = new ArrayList<>(xs.length);
                for (int i = 0; i < xs.length; i++) {
                    String cell = i < cells.length ? cells[i] : "";
                    lines.add(wrap(printable(cell, true), CELL, ws[i] - 2 * CELL_PAD));
                }
                flow(lines, cellXs(), CELL, CELL_LEADING, CELL_PAD, colors, true, true, this::drawHeader);
                rows++;
            });
        }

        /** The rows written so far. */
        public long rows() {
            return rows;
        }

        /** Ends the table; a table without rows says "none". */
        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            openTable = null;
            run(() -> {
                if (rows == 0) {
                    flow(List.of(List.of("none")), new float[] {MARGIN + CELL_PAD}, CELL, CELL_LEADING, CELL_PAD,
                            new float[][] {MUTED}, false, true, () -> { });
                }
                y -= 12f;
            });
        }

        private float[] cellXs() {
            float[] at = new float[xs.length];
            for (int i = 0; i < xs.length; i++) {
                at[i] = xs[i] + CELL_PAD;
            }
            return at;
        }

        private void drawHeader() throws IOException {
            float h = height(header);
            content.setNonStrokingColor(HEADER_FILL[0], HEADER_FILL[1], HEADER_FILL[2]);
            content.addRect(MARGIN, y - h, WIDTH, h);
            content.fill();
            float[] at = cellXs();
            for (int c = 0; c < header.size(); c++) {
                List<String> lines = header.get(c);
                for (int k = 0; k < lines.size(); k++) {
                    text(at[c], baseline(y - CELL_PAD - k * CELL_LEADING, CELL, CELL_LEADING), CELL, ACCENT,
                            lines.get(k));
                }
            }
            y -= h;
            content.setStrokingColor(ACCENT[0], ACCENT[1], ACCENT[2]);
            content.setLineWidth(0.7f);
            line(MARGIN, y, MARGIN + WIDTH, y);
            fresh = y;
        }

        private float height(List<List<String>> cells) {
            int most = 1;
            for (List<String> cell : cells) {
                most = Math.max(most, cell.size());
            }
            return most * CELL_LEADING + 2 * CELL_PAD;
        }
    }

    // ---- layout -------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Drawing {
        void draw() throws IOException;
    }

    private void run(Drawing drawing) {
        if (closed || written) {
            throw new IllegalStateException(closed ? "the report is closed" : "the report was already written");
        }
        try {
            drawing.draw();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the report", e);
        }
    }

    /** Content after an open table ends it first. */
    private void block(Drawing drawing) {
        run(() -> {
            finishTable();
            drawing.draw();
        });
    }

    private void finishTable() {
        if (openTable != null) {
            openTable.close();
        }
    }

    private void labelled(List<Map.Entry<String, String>> rows, float size, float leading, float pad)
            throws IOException {
        finishTable();
        if (pageDone) {
            startPage(true);
        }
        float labelWidth = WIDTH * 0.32f;
        float[] xs = {MARGIN, MARGIN + labelWidth + 8f};
        for (Map.Entry<String, String> row : rows) {
            List<List<String>> cells = List.of(
                    wrap(printable(row.getKey(), true), size, labelWidth),
                    wrap(printable(row.getValue(), true), size, WIDTH - labelWidth - 8f));
            flow(cells, xs, size, leading, pad, new float[][] {MUTED, INK}, true, false, () -> { });
        }
    }

    /**
     * Draws one row of wrapped cells at the top of the free space. A row kept together that does not fit
     * goes to a new page (after onNewPage, e.g. a repeated table header); a row taller than a whole page,
     * or one not kept together, is split across pages line by line. Nothing is cut off.
     */
    private void flow(List<List<String>> cells, float[] xs, float size, float leading, float pad, float[][] colors,
            boolean keepTogether, boolean ruleBelow, Drawing onNewPage) throws IOException {
        if (pageDone) {
            startPage(true);
            onNewPage.draw();
        }
        int lines = 1;
        for (List<String> cell : cells) {
            lines = Math.max(lines, cell.size());
        }
        int drawn = 0;
        while (drawn < lines) {
            int fits = (int) Math.floor((y - BOTTOM - 2 * pad) / leading);
            int take = Math.min(fits, lines - drawn);
            boolean split = take < lines - drawn;
            if (take < 1 || (split && keepTogether && y < fresh - 0.01f)) {
                startPage(true);
                onNewPage.draw();
                continue;
            }
            for (int c = 0; c < cells.size(); c++) {
                List<String> cell = cells.get(c);
                for (int k = drawn; k < Math.min(cell.size(), drawn + take); k++) {
                    float top = y - pad - (k - drawn) * leading;
                    text(xs[c], baseline(top, size, leading), size, colors[c], cell.get(k));
                }
            }
            y -= take * leading + 2 * pad;
            drawn += take;
            if (ruleBelow) {
                content.setStrokingColor(RULE[0], RULE[1], RULE[2]);
                content.setLineWidth(0.35f);
                line(MARGIN, y, MARGIN + WIDTH, y);
            }
        }
    }

    private void startPage(boolean runningHeader) throws IOException {
        endPage();
        page = new PDPage(A4);
        page.setResources(resources);
        document.addPage(page);
        content = new PDPageContentStream(document, page, AppendMode.OVERWRITE, true);
        pageDone = false;
        y = TOP;
        if (runningHeader) {
            float base = A4.getHeight() - 44f;
            text(MARGIN, base, RUNNING, MUTED, fit(title, RUNNING, WIDTH));
            content.setStrokingColor(RULE[0], RULE[1], RULE[2]);
            content.setLineWidth(0.5f);
            line(MARGIN, base - 7f, MARGIN + WIDTH, base - 7f);
        }
        fresh = y;
    }

    private void endPage() throws IOException {
        if (content != null) {
            content.close();
            content = null;
            spill(page);
        }
        pageDone = true;
    }

    /**
     * Moves the content stream just written for a page into the one spill file. Each stream PDFBox writes
     * keeps a page-sized buffer on the heap for as long as it lives; a view into the spill file keeps none,
     * so the heap holds a few small objects a page however many pages there are.
     */
    private void spill(PDPage finished) throws IOException {
        COSDictionary dictionary = finished.getCOSObject();
        COSBase contents = dictionary.getDictionaryObject(COSName.CONTENTS);
        if (contents instanceof COSStream stream) {
            dictionary.setItem(COSName.CONTENTS, spilled(stream));
        } else if (contents instanceof COSArray streams && streams.size() > 0
                && streams.getObject(streams.size() - 1) instanceof COSStream last) {
            streams.set(streams.size() - 1, spilled(last));
        }
    }

    private COSStream spilled(COSStream stream) throws IOException {
        if (spill == null) {
            spillCache = IOUtils.createTempFileOnlyStreamCache().create();
            spill = spillCache.createBuffer();
        }
        long start = spill.length();
        byte[] buffer = new byte[8192];
        try (InputStream raw = stream.createRawInputStream()) {
            for (int n; (n = raw.read(buffer)) > 0; ) {
                spill.seek(spill.length());
                spill.write(buffer, 0, n);
            }
        }
        COSStream moved = new COSStream(spillCache, new RandomAccessReadView(spill, start, spill.length() - start, false));
        for (Map.Entry<COSName, COSBase> entry : stream.entrySet()) {
            moved.setItem(entry.getKey(), entry.getValue());
        }
        moved.setLong(COSName.LENGTH, spill.length() - start);
        stream.close();
        return moved;
    }

    private void drawFooter(PDPageContentStream foot, String pageLabel) throws IOException {
        float base = 38f;
        foot.setStrokingColor(RULE[0], RULE[1], RULE[2]);
        foot.setLineWidth(0.5f);
        foot.moveTo(MARGIN, base + 12f);
        foot.lineTo(MARGIN + WIDTH, base + 12f);
        foot.stroke();
        float labelWidth = width(pageLabel, RUNNING);
        String left = fit(footer, RUNNING, WIDTH - labelWidth - 16f);
        for (Object[] piece : new Object[][] {{left, MARGIN}, {pageLabel, MARGIN + WIDTH - labelWidth}}) {
            foot.beginText();
            foot.setFont(font, RUNNING);
            foot.setNonStrokingColor(MUTED[0], MUTED[1], MUTED[2]);
            foot.newLineAtOffset((Float) piece[1], base);
            foot.showText((String) piece[0]);
            foot.endText();
        }
    }

    private void text(float x, float baseline, float size, float[] color, String s) throws IOException {
        if (s.isEmpty()) {
            return;
        }
        content.beginText();
        content.setFont(font, size);
        content.setNonStrokingColor(color[0], color[1], color[2]);
        content.newLineAtOffset(x, baseline);
        content.showText(s);
        content.endText();
    }

    private void line(float x1, float y1, float x2, float y2) throws IOException {
        content.moveTo(x1, y1);
        content.lineTo(x2, y2);
        content.stroke();
    }

    /** The baseline of a line of text whose line box starts at top, its glyphs centred in the leading. */
    private static float baseline(float top, float size, float leading) {
        return top - (leading - (ASCENT + DESCENT) * size) / 2f - ASCENT * size;
    }

    // ---- text ---------------------------------------------------------------------------------------

    /**
     * The text as it can be printed: tabs and other spaces become plain spaces, control and format
     * characters are left out, and a character the font has no glyph for becomes '?'. Newlines are kept
     * when asked for (as line breaks), else they become spaces.
     */
    private String printable(String text, boolean keepNewlines) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.replace("\r\n", "\n").codePoints().forEach(cp -> {
            int type = Character.getType(cp);
            if (cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029) {
                out.append(keepNewlines ? '\n' : ' ');
            } else if (cp == '\t' || Character.isSpaceChar(cp)) {
                out.append(' ');
            } else if (Character.isISOControl(cp) || type == Character.FORMAT) {
                return;
            } else if (type == Character.SURROGATE || type == Character.UNASSIGNED || type == Character.PRIVATE_USE
                    || !hasGlyph(cp)) {
                out.append('?');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Text for the document's outline and information, which are not set in the font: no control characters. */
    private static String plain(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp));
        return out.toString().strip();
    }

    private boolean hasGlyph(int cp) {
        if (!glyphKnown.get(cp)) {
            glyphKnown.set(cp);
            try {
                font.encode(new String(Character.toChars(cp)));
                glyphPresent.set(cp);
            } catch (IllegalArgumentException | IOException e) {
                // the font has no glyph for it: printed as '?'
            }
        }
        return glyphPresent.get(cp);
    }

    /** Splits printable text into lines no wider than width; a word wider than a line breaks anywhere. */
    private List<String> wrap(String text, float size, float width) throws IOException {
        List<String> lines = new ArrayList<>();
        float max = width * 1000f / size;
        float space = advance(' ');
        for (String hard : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            float used = 0f;
            int i = 0;
            int n = hard.length();
            while (i < n) {
                if (hard.charAt(i) == ' ') {
                    i++;
                    continue;
                }
                int end = hard.indexOf(' ', i);
                end = end < 0 ? n : end;
                String word = hard.substring(i, end);
                float w = units(word);
                float gap = line.length() == 0 ? 0f : space;
                if (used + gap + w <= max) {
                    if (gap > 0f) {
                        line.append(' ');
                    }
                    line.append(word);
                    used += gap + w;
                } else if (w <= max) {
                    lines.add(line.toString());
                    line.setLength(0);
                    line.append(word);
                    used = w;
                } else {
                    if (line.length() > 0) {
                        lines.add(line.toString());
                        line.setLength(0);
                        used = 0f;
                    }
                    for (int j = 0; j < word.length(); ) {
                        int cp = word.codePointAt(j);
                        float a = advance(cp);
                        if (used + a > max && line.length() > 0) {
                            lines.add(line.toString());
                            line.setLength(0);
                            used = 0f;
                        }
                        line.appendCodePoint(cp);
                        used += a;
                        j += Character.charCount(cp);
                    }
                }
                i = end;
            }
            lines.add(line.toString());
        }
        return lines;
    }

    /** The text shortened with "…" to fit width, for the one-line running header and footer. */
    private String fit(String text, float size, float width) throws IOException {
        if (width(text, size) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && width(cut + "…", size) > width) {
            cut = cut.substring(0, cut.offsetByCodePoints(cut.length(), -1));
        }
        return cut + "…";
    }

    private float width(String text, float size) throws IOException {
        return units(text) * size / 1000f;
    }

    private float units(String text) throws IOException {
        float sum = 0f;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            sum += advance(cp);
            i += Character.charCount(cp);
        }
        return sum;
    }

    /** A character's advance in glyph units (1/1000 of the font size). */
    private float advance(int cp) throws IOException {
        if (cp < widths.length && !Float.isNaN(widths[cp])) {
            return widths[cp];
        }
        float w = font.getStringWidth(new String(Character.toChars(cp)));
        if (cp < widths.length) {
            widths[cp] = w;
        }
        return w;
    }

    private IPdfBoxGraphics2DFontTextDrawer chartText() {
        if (chartText == null) {
            chartText = new PdfBoxGraphics2DFontTextDrawer() {
                @Override
                protected PDFont mapFont(Font awtFont, IFontTextDrawerEnv env) {
                    return font;
                }
            };
        }
        return chartText;
    }
}
