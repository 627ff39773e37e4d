package org.auditlog.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.auditlog.support.Folders;
import org.auditlog.support.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console as an officer uses it, in a real browser (Debian's headless Chromium through its
 * chromedriver; CI installs both): sign-in that leaves the key nowhere in the browser, searches and
 * their permalinks, the histogram and facets, an event's changes and badge, CSV and signed exports
 * downloaded and checked, CSRF, sign-out, and not one script error or Content-Security-Policy
 * violation. Each page is photographed under {@code target/screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static final String SCRIPT = "<script>alert(1)</script>";
    private static final String IMAGE_NAME = "Carol <img src=x onerror=alert(2)>";
    private static final int MALLORY_FAILURES = 6;

    private static TestApp app;
    private static String tenant;
    private static String auditorKey;
    private static ChromeDriver driver;
    private static ChromeDriverService service;
    private static Path profile;
    private static Path downloads;
    private static final List<LogEntry> BROWSER_LOG = new ArrayList<>();

    @BeforeAll
    static void startBrowserAndSeed() throws IOException {
        if (!new File(CHROMEDRIVER).canExecute() || !new File(CHROMIUM).canExecute()) {
            throw new AssertionError("the console's browser test needs Debian's chromium and chromium-driver ("
                    + CHROMIUM + ", " + CHROMEDRIVER + "): apt-get install -y chromium chromium-driver (.ci/run does)");
        }
        app = TestApp.get();
        tenant = TestApp.newTenant("browser");
        seed(app.createKey(tenant, "ingest"));
        auditorKey = app.createKey(tenant, "auditor");

        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory("console-browser-profile");
        downloads = Files.createTempDirectory("console-browser-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1280,900", "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                "download.directory_upgrade", true));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
    }

    @AfterAll
    static void quitBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        for (Path folder : new Path[] {profile, downloads}) {
            if (folder != null) {
                Folders.delete(folder);
            }
        }
    }

    /**
     * Logins (some failed, from mallory's address), reads and updates by four colleagues at four
     * addresses over the last day, denied reads, and one role change by an admin, whose metadata
     * and one actor's name carry markup that must show as text.
     */
    private static void seed(String ingestKey) {
        Instant now = Instant.now();
        List<Map<String, Object>> events = new ArrayList<>();
        String[] actors = {"alice", "bob", "carol", "dave"};
        String[] actions = {"user.login", "document.read", "document.update"};
        for (int i = 0; i < 24; i++) {
            Map<String, Object> actor = i == 6 ? Map.of("id", "carol", "name", IMAGE_NAME) : Map.of("id", actors[i % 4]);
            events.add(Map.of("action", actions[i % 3], "category", i % 3 == 0 ? "auth" : "data", "actor", actor,
                    "occurredAt", now.minus(Duration.ofMinutes(50L * i + 7)).toString(),
                    "resource", Map.of("type", "document", "id", "doc-" + (i % 5)),
                    "source", Map.of("ip", "203.0.113." + (10 + i % 4))));
        }
        for (int i = 0; i < MALLORY_FAILURES; i++) {
            events.add(Map.of("action", "user.login", "category", "auth", "outcome", "failure",
                    "actor", Map.of("id", "mallory"), "reason", "wrong password",
                    "occurredAt", now.minus(Duration.ofMinutes(130L * i + 3)).toString(),
                    "source", Map.of("ip", "198.51.100.66")));
        }
        for (int i = 0; i < 2; i++) {
            events.add(Map.of("action", "document.read", "category", "data", "outcome", "denied",
                    "actor", Map.of("id", "bob"), "occurredAt", now.minus(Duration.ofMinutes(300L * i + 11)).toString(),
                    "resource", Map.of("type", "document", "id", "payroll"), "source", Map.of("ip", "203.0.113.11")));
        }
        events.add(Map.of("action", "user.role_changed", "category", "admin", "actor", Map.of("id", "alice"),
                "occurredAt", now.minus(Duration.ofMinutes(95)).toString(),
                "resource", Map.of("type", "user", "id", "dave"), "source", Map.of("ip", "203.0.113.10"),
                "changes", Map.of("before", Map.of("role", "viewer"), "after", Map.of("role", "admin")),
                "metadata", Map.of("ticket", "OPS-17", "note", "promoted " + SCRIPT)));
        var reply = app.post("/api/v1/events/batch", ingestKey, Map.of("events", events));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
    }

    @Test
    @Order(1)
    void anAuditorSignsInAndTheKeyStaysNowhereInTheBrowser() {
        driver.get(app.baseUrl() + "/console/");
        waitFor("the sign-in form", () -> driver.getCurrentUrl().endsWith("/console/sign-in"));
        screenshot("sign-in");
        signIn();
        assertThat(driver.getCurrentUrl()).endsWith("/console/").doesNotContain(auditorKey);
        assertThat(driver.getPageSource()).doesNotContain(auditorKey).contains(tenant);
        assertThat(script("return window.localStorage.length + window.sessionStorage.length;")).isEqualTo(0L);
        Cookie session = driver.manage().getCookieNamed("audit_session");
        assertThat(session).as("the session's cookie").isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getValue()).isNotEqualTo(auditorKey);
        String visible = (String) script("return document.cookie;");
        assertThat(visible).doesNotContain("audit_session").doesNotContain(session.getValue())
                .doesNotContain(auditorKey);
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'console.signed_in'", tenant))
                .hasSize(1);
        drainLog();
    }

    @Test
    @Order(2)
    void aTypedFilterShowsOnlyItsEventsAndTheAddressReopensThem() {
        open("/console/");
        driver.findElement(By.name("actorId")).sendKeys("mallory");
        driver.findElement(By.id("search")).click();
        waitFor("the search for mallory", () -> driver.getCurrentUrl().contains("actorId=mallory"));
        List<List<String>> rows = rows();
        assertThat(rows).hasSize(MALLORY_FAILURES).allSatisfy(row -> {
            assertThat(row.get(1)).isEqualTo("mallory");
            assertThat(row.get(4)).isEqualTo("failure");
        });
        assertThat(driver.findElement(By.id("total")).getText()).isEqualTo(Integer.toString(MALLORY_FAILURES));
        List<String> links = eventLinks();

        String address = driver.getCurrentUrl();
        driver.get(address);
        assertThat(eventLinks()).isEqualTo(links);
        String permalink = driver.findElement(By.id("permalink")).getAttribute("href");
        assertThat(permalink).contains("range=custom", "from=", "to=", "actorId=mallory");
        driver.get(permalink);
        assertThat(eventLinks()).isEqualTo(links);
        assertThat(driver.findElement(By.name("actorId")).getAttribute("value")).isEqualTo("mallory");
        drainLog();
    }

    @Test
    @Order(3)
    void anOutcomeChosenThenAFacetClickedNarrowTheSearchAndTheHistogramDrawsIt() {
        open("/console/");
        new Select(driver.findElement(By.name("outcome"))).selectByValue("failure");
        driver.findElement(By.id("search")).click();
        waitFor("the search for failures", () -> driver.getCurrentUrl().contains("outcome=failure"));
        assertThat(rows()).hasSize(MALLORY_FAILURES).allSatisfy(row -> assertThat(row.get(4)).isEqualTo("failure"));
        screenshot("search");
        List<Double> heights = driver.findElements(By.cssSelector("#histogram rect.bar")).stream()
                .map(bar -> Double.parseDouble(bar.getAttribute("height"))).toList();
        assertThat(heights).as("one bar an hour of the last 24 h").hasSizeBetween(24, 25);
        assertThat(heights.stream().filter(h -> h > 0).count()).as("bars with failures in them").isGreaterThan(1);
        // each bar is drawn: the browser gives it a box
        assertThat(driver.findElements(By.cssSelector("#histogram rect.bar")).stream()
                .anyMatch(bar -> bar.getRect().getHeight() > 0)).isTrue();

        open("/console/");
        assertThat(driver.findElement(By.id("events")).getText()).contains(IMAGE_NAME);
        assertThat(driver.findElements(By.cssSelector("#events img"))).isEmpty();
        driver.findElement(By.cssSelector("#facet-actorId")).findElement(By.linkText("bob")).click();
        waitFor("the facet's search", () -> driver.getCurrentUrl().contains("actorId=bob"));
        List<List<String>> bobs = rows();
        assertThat(bobs).hasSize(8).allSatisfy(row -> assertThat(row.get(1)).isEqualTo("bob"));
        assertThat(bobs.stream().filter(row -> row.get(4).equals("denied"))).hasSize(2);
        assertThat(driver.findElement(By.name("actorId")).getAttribute("value")).isEqualTo("bob");
        drainLog();
    }

    @Test
    @Order(4)
    void anEventShowsItsChangesItsTextEscapedAndTurnsGreenWhenACheckpointCoversIt() {
        open("/console/?range=24h&action=user.role_changed");
        List<String> links = eventLinks();
        assertThat(links).hasSize(1);
        driver.findElement(By.cssSelector("#events tbody a")).click();
        waitFor("the event's page", () -> driver.getCurrentUrl().contains("/console/events/"));

        List<WebElement> changes = driver.findElements(By.cssSelector("#changes tbody tr"));
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).findElement(By.tagName("th")).getText()).isEqualTo("role");
        assertThat(changes.get(0).findElement(By.cssSelector("td.before")).getText()).isEqualTo("viewer");
        assertThat(changes.get(0).findElement(By.cssSelector("td.after")).getText()).isEqualTo("admin");
        assertThat(changes.get(0).getAttribute("class")).contains("changed");
        assertThat(driver.findElement(By.id("fields")).getText()).contains("promoted " + SCRIPT, "OPS-17", "dave");
        assertThat(driver.findElement(By.id("raw-json")).getText()).contains(SCRIPT);
        assertThat(driver.findElement(By.id("chain")).getText()).contains("prevHash", "hash");
        assertThat(script("return document.scripts.length;")).as("only the console's own script").isEqualTo(1L);
        assertNoAlert();

        long deadline = System.currentTimeMillis() + 20_000;
        while (!badge().getAttribute("class").contains("verified")) {
            assertThat(badge().getAttribute("class")).as(badge().getText()).doesNotContain("broken");
            assertThat(System.currentTimeMillis()).as("a checkpoint within 20 s; the badge says: " + badge().getText())
                    .isLessThan(deadline);
            sleep(1000);
            drainLog();
            driver.navigate().refresh();
        }
        String keyId = badge().findElement(By.tagName("code")).getText();
        JsonNode keys = app.get("/api/v1/integrity/keys", auditorKey).json();
        List<String> keyIds = new ArrayList<>();
        keys.forEach(k -> keyIds.add(k.get("keyId").asText()));
        assertThat(keyIds).contains(keyId);
        assertThat(badge().getText()).startsWith("Verified").contains(keyId);
        screenshot("event");
        drainLog();
    }

    @Test
    @Order(5)
    void theSearchDownloadsAsCsvAndAsASignedExportWhoseManifestMatchesTheFile() throws Exception {
        open("/console/?range=24h&actorId=mallory");
        driver.findElement(By.id("export-csv")).click();
        Path csv = downloaded(".csv", List.of());
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8).stream().filter(l -> !l.isEmpty()).toList();
        assertThat(lines.get(0)).startsWith("id,seq,occurredAt,receivedAt,tenant,category,action,outcome,actorType,actorId");
        assertThat(lines.subList(1, lines.size())).hasSize(MALLORY_FAILURES)
                .allSatisfy(line -> assertThat(line).contains(tenant, "user.login", "failure", "mallory", "198.51.100.66"));

        driver.findElement(By.id("export-signed")).click();
        waitFor("the export's page", () -> driver.getCurrentUrl().contains("/console/exports/"));
        waitFor("the export to be done", () -> {
            try {
                return driver.findElement(By.id("export-state")).getText().equals("done")
                        && driver.findElement(By.id("export-download")).isDisplayed();
            } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException reloading) {
                return false;
            }
        });
        assertThat(driver.findElement(By.id("export-rows")).getText()).isEqualTo(Integer.toString(MALLORY_FAILURES));
        screenshot("export");
        String sha = driver.findElement(By.id("export-sha")).getText();
        driver.findElement(By.id("export-download")).click();
        Path file = downloaded(".csv", List.of(csv));
        driver.findElement(By.id("export-manifest")).click();
        Path manifestFile = downloaded(".manifest.json", List.of());
        JsonNode manifest = TestApp.JSON.readTree(manifestFile.toFile());
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        assertThat(manifest.get("sha256").asText()).isEqualTo(digest).isEqualTo(sha);
        assertThat(manifest.has("signature")).isTrue();
        String exportId = driver.getCurrentUrl().replaceAll(".*/console/exports/([^/?#]+).*", "$1");
        assertThat(file.getFileName().toString()).isEqualTo("audit-" + tenant + "-" + exportId + ".csv");
        assertThat(driver.findElement(By.id("verify-command")).getText())
                .contains("verify-export", file.getFileName().toString(), manifestFile.getFileName().toString(),
                        "--public-key ");
        drainLog();
    }

    @Test
    @Order(6)
    void aChangeWithoutTheFormsTokenIsRefusedAndWithItSavesTheSearch() {
        open("/console/?range=24h&outcome=failure");
        String post = "var done = arguments[arguments.length - 1];"
                + "fetch('/console/searches', {method: 'POST', credentials: 'same-origin', redirect: 'manual',"
                + " headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: arguments[0]})"
                + ".then(function (r) { done(r.type === 'opaqueredirect' ? 303 : r.status); })"
                + ".catch(function (e) { done('failed: ' + e); });";
        Object refused = ((JavascriptExecutor) driver).executeAsyncScript(post, "name=without+token&query=range%3D24h");
        assertThat(refused).isEqualTo(403L);
        Object forged = ((JavascriptExecutor) driver).executeAsyncScript(post,
                "name=wrong+token&query=range%3D24h&csrf=not-the-token");
        assertThat(forged).isEqualTo(403L);
        assertThat(TestApp.rows("select name from console_saved_searches where tenant = ?", tenant)).isEmpty();

        driver.findElement(By.cssSelector("#saved-searches input[name=name]")).sendKeys("failed logins");
        driver.findElement(By.id("save-search")).click();
        waitFor("the saved search", () -> !driver.findElements(By.linkText("failed logins")).isEmpty());
        assertThat(TestApp.rows("select name from console_saved_searches where tenant = ?", tenant))
                .extracting(row -> row.get("name")).containsExactly("failed logins");
        driver.findElement(By.linkText("failed logins")).click();
        waitFor("the saved search's results", () -> driver.getCurrentUrl().contains("outcome=failure"));
        assertThat(rows()).hasSize(MALLORY_FAILURES);
        drainLog();
    }

    @Test
    @Order(7)
    void theSearchPageReadsOnAPhone() {
        try {
            driver.manage().window().setSize(new Dimension(390, 844));
            open("/console/?range=24h");
            long overflow = (Long) script("return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(overflow).as("the page scrolls sideways by").isLessThanOrEqualTo(0L);
            assertThat(driver.findElement(By.id("search")).isDisplayed()).isTrue();
            screenshot("search-phone");
        } finally {
            driver.manage().window().setSize(new Dimension(1280, 900));
        }
        drainLog();
    }

    @Test
    @Order(8)
    void anAdminCreatesALegalHoldAndReleasesIt() {
        open("/console/");
        driver.findElement(By.id("sign-out")).click();
        waitFor("the sign-in form", () -> driver.getCurrentUrl().endsWith("/console/sign-in"));
        WebElement key = driver.findElement(By.id("key"));
        key.sendKeys(app.createKey(tenant, "admin"));
        driver.findElement(By.id("sign-in")).click();
        waitFor("the search page after sign-in", () -> driver.getCurrentUrl().endsWith("/console/"));
        driver.findElement(By.linkText("Retention")).click();
        waitFor("the retention page", () -> driver.getCurrentUrl().endsWith("/console/admin/retention"));
        driver.findElement(By.id("hold-name")).sendKeys("litigation 2026-17");
        driver.findElement(By.id("hold-reason")).sendKeys("counsel's request");
        driver.findElement(By.id("hold-actorId")).sendKeys("mallory");
        driver.findElement(By.id("create-hold")).click();
        waitFor("the new hold", () -> driver.findElements(By.cssSelector("#holds tr.hold")).stream()
                .anyMatch(row -> row.getText().contains("litigation 2026-17") && row.getText().contains("active")));
        screenshot("retention");
        assertThat(TestApp.rows("select 1 from legal_holds where tenant = ? and released_at is null", tenant)).hasSize(1);

        driver.findElement(By.cssSelector("#holds tr.hold button")).click();
        driver.switchTo().alert().accept(); // the page asks before releasing
        waitFor("the hold released", () -> driver.findElements(By.cssSelector("#holds tr.hold")).stream()
                .anyMatch(row -> row.getText().contains("released")));
        assertThat(TestApp.rows("select 1 from legal_holds where tenant = ? and released_at is null", tenant)).isEmpty();
        assertThat(TestApp.rows("select action from audit_events where tenant = ? and action like 'retention.hold.%' "
                + "order by seq", tenant)).extracting(row -> row.get("action"))
                .containsExactly("retention.hold.created", "retention.hold.released");
        driver.findElement(By.id("sign-out")).click();
        waitFor("the sign-in form", () -> driver.getCurrentUrl().endsWith("/console/sign-in"));
        drainLog();
    }

    @Test
    @Order(9)
    void signingOutLeadsToTheSignInAndTheConsoleStaysClosed() {
        open("/console/");
        int before = TestApp.rows("select 1 from audit_events where tenant = ? and action = 'console.signed_out'", tenant)
                .size();
        driver.findElement(By.id("sign-out")).click();
        waitFor("the sign-in form", () -> driver.getCurrentUrl().endsWith("/console/sign-in"));
        assertThat(driver.findElements(By.id("key"))).hasSize(1);
        assertThat(driver.manage().getCookieNamed("audit_session")).isNull();
        driver.get(app.baseUrl() + "/console/");
        assertThat(driver.getCurrentUrl()).endsWith("/console/sign-in");
        driver.get(app.baseUrl() + "/console/events/" + "00000000-0000-7000-8000-000000000000");
        assertThat(driver.getCurrentUrl()).endsWith("/console/sign-in");
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'console.signed_out'", tenant))
                .hasSize(before + 1);
        drainLog();
    }

    @Test
    @Order(10)
    void noPageRaisedAScriptErrorOrBrokeTheContentSecurityPolicy() {
        drainLog();
        assertThat(BROWSER_LOG).as("the browser's console")
                .filteredOn(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .noneMatch(entry -> entry.getMessage().contains("Content Security Policy")
                        || entry.getMessage().contains("Uncaught")
                        || entry.getMessage().contains("Refused to"));
        assertThat(BROWSER_LOG).noneMatch(entry -> entry.getMessage().contains("Content Security Policy"));
        // and the browser does report a violation: an inline script added to the page is refused
        driver.get(app.baseUrl() + "/console/sign-in");
        drainLog();
        script("var s = document.createElement('script'); s.textContent = 'window.ran = true;';"
                + " document.body.appendChild(s);");
        assertThat(script("return window.ran === true;")).isEqualTo(false);
        assertThat(driver.manage().logs().get(LogType.BROWSER).getAll())
                .anyMatch(entry -> entry.getMessage().contains("Content Security Policy"));
        // the views were recorded, one a page
        assertThat(TestApp.rows("select 1 from audit_events where tenant = ? and action = 'console.viewed'", tenant))
                .hasSizeGreaterThan(8);
    }

    private static void signIn() {
        WebElement key = driver.findElement(By.id("key"));
        key.clear();
        key.sendKeys(auditorKey);
        driver.findElement(By.id("sign-in")).click();
        waitFor("the search page after sign-in", () -> driver.getCurrentUrl().endsWith("/console/"));
    }

    /** Opens a console page, signing in again if an earlier step left the browser signed out. */
    private static void open(String path) {
        driver.get(app.baseUrl() + path);
        if (driver.getCurrentUrl().endsWith("/console/sign-in")) {
            signIn();
            driver.get(app.baseUrl() + path);
        }
        assertThat(driver.findElements(By.id("search-error"))).as("a search error").isEmpty();
    }

    /** The cells of the results table, a list a row. */
    private static List<List<String>> rows() {
        return driver.findElements(By.cssSelector("#events tbody tr")).stream()
                .filter(tr -> tr.findElements(By.cssSelector("td.muted")).isEmpty())
                .map(tr -> tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList())
                .toList();
    }

    private static List<String> eventLinks() {
        return driver.findElements(By.cssSelector("#events tbody a")).stream().map(a -> a.getAttribute("href")).toList();
    }

    private static WebElement badge() {
        return driver.findElement(By.id("badge"));
    }

    private static Object script(String source) {
        return ((JavascriptExecutor) driver).executeScript(source);
    }

    private static void assertNoAlert() {
        try {
            driver.switchTo().alert();
            throw new AssertionError("a page opened an alert: markup from an event ran");
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
    }

    /** The browser's console since the last look, kept for the last test. */
    private static void drainLog() {
        driver.manage().logs().get(LogType.BROWSER).forEach(BROWSER_LOG::add);
    }

    private static void screenshot(String name) {
        try {
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first finished download whose name ends so, other than those given; waits up to 20 s. */
    private static Path downloaded(String ending, List<Path> besides) {
        Path[] found = new Path[1];
        waitFor("a download ending " + ending + " in " + downloads, () -> {
            try (Stream<Path> files = Files.list(downloads)) {
                Optional<Path> file = files.filter(f -> f.getFileName().toString().endsWith(ending))
                        .filter(f -> !besides.contains(f)).findFirst();
                file.ifPresent(f -> found[0] = f);
                return file.isPresent();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return found[0];
    }

    private static void waitFor(String what, java.util.function.BooleanSupplier condition) {
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .withMessage(() -> what + "; the browser is at " + driver.getCurrentUrl() + " showing: "
                        + driver.findElement(By.tagName("body")).getText())
                .until(d -> condition.getAsBoolean());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
