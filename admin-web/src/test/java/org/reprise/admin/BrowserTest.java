package org.reprise.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.reprise.core.session.SessionId;
import org.reprise.core.session.SessionRecord;

/**
 * End to end in headless Chromium: sessions made by {@code openssl s_client} show up, purge from the page,
 * and stop resuming; retiring all keys in the page kills a saved ticket; a hostile SNI name stays text.
 * Skipped when /usr/bin/chromium or /usr/bin/chromedriver is missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String XSS = "<img src=x onerror=alert(1)>.example";
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @TempDir
    static Path dir;

    private AdminServer server;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Skipping the browser tests: /usr/bin/chromium or /usr/bin/chromedriver is missing "
                        + "(apt-get install chromium chromium-driver)");
        server = AdminServer.start(dir);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The admin page is served over HTTPS only: trust the test server's own certificate, by its key
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--ignore-certificate-errors-spki-list=" + server.spkiSha256(),
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1500,1000", "--user-data-dir=" + Files.createDirectories(dir.resolve("chrome")));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        // Container BASIC authentication, sent by the browser on every request to the admin page
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8));
        driver.executeCdpCommand("Network.enable", Map.of());
        driver.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", basic)));
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    void stop() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private void open(String page) {
        driver.get(server.base().replace("127.0.0.1", "localhost") + page);
    }

    private void screenshot(String name) throws IOException {
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private String sslClient(String serverName, Path session, boolean save, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + server.tlsPort(),
                "-servername", serverName, save ? "-sess_out" : "-sess_in", session.toString(), "-tls1_2"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String sessionId(String output) {
        Matcher m = Pattern.compile("Session-ID: ([0-9A-Fa-f]+)").matcher(output);
        assertTrue(m.find(), output);
        return m.group(1).toLowerCase(Locale.ROOT);
    }

    private static boolean reused(String output) {
        return output.contains("\nReused, ");
    }

    private void assertNoAlert() {
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert());
    }

    @Test
    void purgeSessionsRetireKeysAndEscapeHostNames() throws Exception {
        // a session made by a real client shows up by its short ID, and purging it in the page stops resumption
        Path saved = dir.resolve("id.sess");
        String made = sslClient("localhost", saved, true, "-no_ticket");
        String id = sessionId(made);
        assertTrue(reused(sslClient("localhost", saved, false, "-no_ticket")), "resumes before the purge");
        fillForScreenshots();

        open("index.html");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#sessions-table tr[data-id='" + id + "']")));
        assertEquals(id.substring(0, 8), row.findElement(By.cssSelector("td.id")).getText());
        assertEquals(id, row.findElement(By.cssSelector("td.id")).getAttribute("title"));
        screenshot("sessions");

        driver.findElement(By.cssSelector("button.purge[data-id='" + id + "']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Purged session"));
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-id='" + id + "']"), 0));
        String after = sslClient("localhost", saved, false, "-no_ticket");
        assertFalse(reused(after), after);
        assertTrue(after.contains("\nNew, "), after);

        // a hostile SNI name is shown as text and runs nothing. The engines no longer record one (core's ServerNames
        // reads it as malformed), so it comes as a row another writer left in the store
        byte[] hostileBytes = ByteBuffer.allocate(32).putLong(System.nanoTime()).putInt(8, 0x0bad5e55).array();
        String hostileId = java.util.HexFormat.of().formatHex(hostileBytes);
        server.store.store(SessionRecord.builder().id(SessionId.of(hostileBytes)).realm(AdminServer.CONNECTOR)
                .protocol("TLSv1.2").cipherSuite("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").hostConfig("localhost")
                .sniHost(XSS).created(Instant.now()).expires(Instant.now().plusSeconds(3600)).engine("bc")
                .secretState(new byte[] {1}).build());
        open("index.html");
        wait.until(ExpectedConditions.textMatches(By.id("total"), Pattern.compile("\\(\\d+\\)")));
        driver.findElement(By.id("filter-text")).sendKeys(hostileId.substring(0, 16));
        driver.findElement(By.id("filter-apply")).click();
        wait.until(ExpectedConditions.textToBe(By.id("total"), "(1)"));
        WebElement cell = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-id='" + hostileId + "'] td.sni")));
        assertEquals(XSS, cell.getText());
        assertTrue(cell.findElements(By.tagName("img")).isEmpty());
        assertEquals(0L, driver.executeScript("return document.querySelectorAll('#sessions-table img').length"));
        assertNoAlert();

        // purge all, after a confirmation that names what goes
        open("index.html");
        String note = driver.findElement(By.id("purge-note")).getText();
        assertTrue(note.contains("sessions renewed from it") && note.contains("TLS 1.2 tickets")
                && note.contains("does not stop the OpenSSL engine's stateless tickets"), note);
        wait.until(ExpectedConditions.textMatches(By.id("total"), Pattern.compile("\\(\\d+\\)")));
        driver.findElement(By.id("purge-all")).click();
        String question = wait.until(ExpectedConditions.alertIsPresent()).getText();
        assertTrue(question.contains("Every session goes"), question);
        assertTrue(question.contains("stateless tickets keep working"), question);
        driver.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBe(By.id("total"), "(0)"));

        // a saved ticket resumes until every key is retired in the page
        Path ticket = dir.resolve("ticket.sess");
        sslClient("localhost", ticket, true);
        assertTrue(reused(sslClient("localhost", ticket, false)), "the ticket resumes before retirement");
        open("keys.html");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#keys-table td.fingerprint")));
        screenshot("keys");
        driver.findElement(By.id("retire-all")).click();
        question = wait.until(ExpectedConditions.alertIsPresent()).getText();
        assertTrue(question.contains("Every outstanding session ticket stops working"), question);
        driver.switchTo().alert().accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Retired all keys"));
        assertEquals(1, driver.findElements(By.cssSelector("#keys-table tbody tr")).size());
        // the ticket's session is still in the store: a ClientHello with a ticket is decided by the ticket alone
        String afterRetire = sslClient("localhost", ticket, false);
        assertFalse(reused(afterRetire), afterRetire);

        // metrics: counters and both charts drawn from the server's samples
        // The page draws the samples there are when it loads; the sampler takes one a second here
        open("metrics.html");
        wait.until(d -> {
            if (d.findElements(By.cssSelector("#chart-handshakes svg polyline")).isEmpty()) {
                d.navigate().refresh();
                return false;
            }
            return true;
        });
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-misses svg")));
        assertTrue(Long.parseLong(driver.findElement(By.id("counter-handshakesFull")).getText()) >= 3);
        assertTrue(driver.findElement(By.id("ratio")).getText().endsWith("%"));
        screenshot("metrics");
        assertNoAlert();
    }

    /** A few more sessions so the screenshot shows a realistic table. */
    private void fillForScreenshots() {
        String[] hosts = {"shop.example", "api.example", "static.example"};
        Instant now = Instant.now();
        for (int i = 0; i < 12; i++) {
            byte[] id = ByteBuffer.allocate(32).putLong(Double.doubleToLongBits(Math.random()))
                    .putLong(8, System.nanoTime()).putInt(16, i).array();
            server.store.store(SessionRecord.builder().id(SessionId.of(id)).realm(AdminServer.CONNECTOR).protocol("TLSv1.2")
                    .cipherSuite(i % 2 == 0 ? "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
                            : "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256")
                    .hostConfig("localhost").sniHost(hosts[i % 3]).created(now.minusSeconds(60L * i + 30))
                    .expires(now.plusSeconds(3600 - 60L * i)).lastResumed(i % 3 == 0 ? null : now.minusSeconds(20L * i))
                    .resumeCount(i % 3 == 0 ? 0 : i).node(i % 2 == 0 ? "node-a" : "node-b").engine("bc")
                    .secretState(new byte[] {1}).build());
        }
    }

}
