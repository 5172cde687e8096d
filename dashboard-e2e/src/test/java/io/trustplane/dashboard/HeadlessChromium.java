package io.trustplane.dashboard;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium and chromedriver driven by Selenium without Selenium Manager (nothing is downloaded):
 * installs them through {@code scripts/install-browser} when missing, starts a headless browser on a fresh
 * profile whose host resolver knows only the loopback names, and records every URL the browser requests.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String HOW_TO_INSTALL = "run scripts/install-browser as root "
            + "(or: sudo apt-get install chromium chromium-driver)";

    private final ChromeDriver driver;
    private final Path profile;
    private final List<String> requested = new ArrayList<>();
    private final List<String> console = new ArrayList<>();

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Makes sure both binaries exist, installing them if needed. When that is impossible the browser tests fail
     * where a browser is required (CI, or TRUSTPLANE_REQUIRE_BROWSER set) and are skipped with a hint elsewhere.
     */
    static void ensureInstalled(Path projectRoot, Path logDir) throws IOException, InterruptedException {
        if (installed()) {
            return;
        }
        Files.createDirectories(logDir);
        Path log = logDir.resolve("install-browser.log");
        Process install = new ProcessBuilder("bash", projectRoot.resolve("scripts/install-browser").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = install.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            install.destroyForcibly();
        }
        if (finished && install.exitValue() == 0 && installed()) {
            return;
        }
        String message = "headless Chromium is not installed and scripts/install-browser could not install it (log: "
                + log + "); " + HOW_TO_INSTALL;
        if (required()) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    private static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    private static boolean required() {
        return Stream.of("CI", "TRUSTPLANE_REQUIRE_BROWSER").map(System::getenv)
                .anyMatch(v -> v != null && !v.isBlank() && !v.equalsIgnoreCase("false") && !v.equals("0"));
    }

    static HeadlessChromium start(Path logDir) throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Path profile = Files.createTempDirectory("trustplane-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--disable-default-apps", "--disable-dev-shm-usage",
                "--password-store=basic", "--window-size=1440,1200", "--lang=en-US",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                "--user-data-dir=" + profile);
        options.setExperimentalOption("perfLoggingPrefs", Map.of("enableNetwork", true, "enablePage", false));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.PERFORMANCE, "ALL", LogType.BROWSER, "ALL"));
        Files.createDirectories(logDir);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logDir.resolve("chromedriver.log").toFile())
                .build();
        return new HeadlessChromium(new ChromeDriver(service, options), profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Every URL requested since the browser started (network events of the performance log). */
    List<String> requestedUrls() {
        drainLogs();
        return List.copyOf(requested);
    }

    /** Console messages (level and text) since the browser started. */
    List<String> console() {
        drainLogs();
        return List.copyOf(console);
    }

    @SuppressWarnings("unchecked")
    private void drainLogs() {
        Json json = new Json();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            Map<String, Object> envelope = json.toType(entry.getMessage(), Map.class);
            Map<String, Object> message = (Map<String, Object>) envelope.get("message");
            if (message == null) {
                continue;
            }
            String method = String.valueOf(message.get("method"));
            Map<String, Object> params = (Map<String, Object>) message.get("params");
            if ("Network.requestWillBeSent".equals(method) && params != null) {
                Map<String, Object> request = (Map<String, Object>) params.get("request");
                requested.add(String.valueOf(request.get("url")));
            } else if ("Network.webSocketCreated".equals(method) && params != null) {
                requested.add(String.valueOf(params.get("url")));
            }
        }
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            console.add(entry.getLevel() + " " + entry.getMessage());
        }
    }

    /**
     * Whether a URL stays on this machine: network schemes must name a loopback host; the browser's own schemes
     * (its start page's chrome:// resources, data:, blob:, about:) never touch the network. Anything else is not.
     */
    static boolean local(String url) {
        String scheme = url.indexOf(':') < 0 ? "" : url.substring(0, url.indexOf(':'));
        return switch (scheme) {
            case "http", "https", "ws", "wss" -> Stream.of("127.0.0.1", "localhost", "[::1]")
                    .anyMatch(h -> h.equals(URI.create(url).getHost()));
            case "data", "blob", "about", "chrome", "chrome-untrusted" -> true;
            default -> false;
        };
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
