package io.trustplane.dashboard;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.trustplane.launcher.ServiceSpec;
import io.trustplane.launcher.Suite;
import io.trustplane.testing.Infrastructure;
import io.trustplane.testing.TokenMinter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The operator dashboard in headless Chromium against the whole suite (embedded PostgreSQL and Redis, the four
 * packaged services as child processes, random ports). The data is real: agents, gate decisions, a task walked
 * through two phases, provenance records, a staged rollout and the alert telemetry raises on a tier-claim probe
 * are all created through the public APIs before the browser opens. Screenshots of every page go to
 * {@code target/screenshots/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final Path SHOTS = TARGET.resolve("screenshots");
    private static final Duration UI_WAIT = Duration.ofSeconds(30);

    private static final String TASK = "e2e-task-1";
    private static final String FLAG = "e2e-planner-v2";
    private static final String PROBER = "e2e-basic";
    private static final String WORKER = "e2e-trusted";

    private final Map<ServiceSpec, Integer> ports = new LinkedHashMap<>();
    private final List<ProcessHandle> started = new ArrayList<>();
    private Path state;
    private Suite suite;
    private TokenMinter tokens;
    private HeadlessChromium browser;
    private WebDriver driver;
    private String telemetry;
    private String gate;
    private String lease;
    private String provenance;
    private String evolvedRecord;

    @BeforeAll
    void startTheSuiteSeedItAndOpenABrowser() throws Exception {
        HeadlessChromium.ensureInstalled(ROOT, TARGET);
        for (ServiceSpec spec : ServiceSpec.ALL) {
            assertThat(spec.jar(ROOT)).as("%s must be packaged before the browser tests run (the reactor builds the "
                    + "services first; alone: ./mvnw -DskipTests package)", spec.name()).isRegularFile();
            ports.put(spec, Infrastructure.freePort());
        }
        // keys, service logs (kept for a failed run: target/suite/logs/*.log)
        state = TARGET.resolve("suite");
        delete(state);
        Files.createDirectories(state);
        long t0 = System.nanoTime();
        suite = Suite.start(new Suite.Config(ROOT, state, ports, false, System.getenv(), Duration.ofSeconds(240)));
        log("suite ready", t0);
        suite.services().forEach(s -> started.add(s.process().toHandle()));
        tokens = suite.keys().minter();
        for (Suite.Running s : suite.services()) {
            switch (s.spec().shortName()) {
                case "telemetry" -> telemetry = s.url();
                case "gate" -> gate = s.url();
                case "lease" -> lease = s.url();
                case "provenance" -> provenance = s.url();
                default -> throw new IllegalStateException(s.spec().name());
            }
        }
        long t1 = System.nanoTime();
        seed();
        log("seeded and ingested by telemetry", t1);
        browser = HeadlessChromium.start(TARGET);
        driver = browser.driver();
    }

    private static void log(String what, long since) {
        System.out.printf("[dashboard-e2e] %s after %d ms%n", what, (System.nanoTime() - since) / 1_000_000);
    }

    @AfterAll
    void closeEverything() throws IOException {
        long t0 = System.nanoTime();
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (suite != null) {
                suite.close();
            }
        }
        log("browser and suite closed", t0);
        for (ProcessHandle p : started) {
            assertThat(p.isAlive()).as("service process %d stopped", p.pid()).isFalse();
        }
        for (int port : ports.values()) {
            assertThat(Suite.inUse(port)).as("port %d released", port).isFalse();
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void nothingIsFetchedBeforeSignInAndAgentTokensAreRefused() throws IOException {
        driver.get(telemetry + "/dashboard/");
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        screenshot("login");
        List<String> beforeSignIn = browser.requestedUrls();
        assertThat(beforeSignIn).anyMatch(u -> u.endsWith("/dashboard/js/app.js"));
        assertThat(beforeSignIn).noneMatch(u -> u.contains("/v1/"));

        signIn(tokens.agent("agent-7"));
        assertThat(loginError()).contains("agent token (agent-7)").contains("operator or admin token");
        assertThat(driver.findElement(By.id("view")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse();
        screenshot("login-agent-refused");

        signIn(tokens.expired("operator-1", "operator"));
        assertThat(loginError()).contains("refused");
        signIn("not-a-token");
        assertThat(loginError()).contains("refused");

        assertThat(browser.requestedUrls()).filteredOn(u -> u.contains("/v1/")).isNotEmpty()
                .allMatch(u -> u.endsWith("/v1/whoami"));
        assertThat(js("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    @Order(2)
    void theOverviewShowsTheSuitesRealFigures() throws IOException {
        signIn(tokens.operator());
        waitFor(d -> d.findElements(By.cssSelector("#stats[data-generated-at]")).size() == 1);
        assertThat(driver.findElement(By.id("whoami")).getText()).contains("operator-1");

        // the stats are cached for 30 s: compare the page with the API's answer of the same generation
        JsonPath api = await().atMost(Duration.ofSeconds(90)).until(() -> {
            JsonPath stats = telemetryGet("/v1/stats");
            String shown = driver.findElement(By.id("stats")).getAttribute("data-generated-at");
            if (!stats.getString("generatedAt").equals(shown)) {
                driver.findElement(By.id("refresh")).click();
                waitFor(d -> d.findElements(By.cssSelector("#stats[data-generated-at]")).size() == 1);
                return null;
            }
            return stats;
        }, s -> s != null);
        List<WebElement> figures = driver.findElements(By.cssSelector("#stats [data-stat]"));
        assertThat(figures).hasSizeGreaterThan(10);
        for (WebElement figure : figures) {
            String key = figure.getAttribute("data-stat");
            long expected = "agents".equals(key)
                    ? api.getMap("agentsByTier").values().stream().mapToLong(v -> ((Number) v).longValue()).sum()
                    : api.get(key) == null ? 0 : ((Number) api.get(key)).longValue();
            assertThat(figure.getText().replace(",", "")).as(key).isEqualTo(Long.toString(expected));
        }
        assertThat(api.getLong("agentsByTier.BASIC")).isGreaterThanOrEqualTo(1);
        assertThat(api.getLong("agentsByTier.TRUSTED")).isGreaterThanOrEqualTo(1);
        assertThat(api.getLong("decisions24h.allowed")).isGreaterThanOrEqualTo(1);
        assertThat(api.getLong("decisions24h.denied")).isGreaterThanOrEqualTo(1);
        assertThat(api.getLong("logSize")).isGreaterThanOrEqualTo(2);
        assertThat(text("[data-stat='agentsByTier.VERIFIED']")).isEqualTo(api.getString("agentsByTier.VERIFIED"));

        assertThat(driver.findElements(By.cssSelector("[data-service]"))).hasSize(4);
        String alertId = firstOpenAlert(PROBER);
        assertThat(driver.findElements(By.cssSelector("li[data-alert-id='" + alertId + "']"))).hasSize(1);
        waitFor(d -> d.findElements(By.cssSelector(".uplot canvas")).size() >= 2);
        assertThat(text("[data-total='role_gate_denied']")).startsWith("denied ").doesNotEndWith(" 0");
        screenshot("overview");
    }

    @Test
    @Order(3)
    void anAlertIsMovedToResolvedThroughThePageAndTheApiShowsIt() throws IOException {
        String alertId = firstOpenAlert(PROBER);
        navigate("#/alerts?status=ACTIVE&agentId=" + PROBER);
        WebElement row = waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-alert-id='" + alertId + "']")));
        screenshot("alerts");
        row.click();
        waitFor(ExpectedConditions.textToBe(By.cssSelector("#alert-status .badge"), "ACTIVE"));
        screenshot("alert-detail");

        moveAlert("INVESTIGATING", "Looking into the DEPLOYER claim from a BASIC agent");
        moveAlert("RESOLVED", "Client sent a stale tier; fixed and redeployed");
        // opened, investigating, resolved
        waitFor(d -> d.findElements(By.cssSelector("tr.history-entry")).size() == 3);
        screenshot("alert-resolved");

        given().baseUri(telemetry).auth().oauth2(tokens.operator()).get("/v1/alerts/" + alertId).then().statusCode(200)
                .body("status", equalTo("RESOLVED"))
                .body("history.size()", equalTo(3))
                .body("history.find { it.to == 'RESOLVED' }.from", equalTo("INVESTIGATING"))
                .body("history.find { it.to == 'RESOLVED' }.actor", equalTo("operator-1"))
                .body("history.find { it.to == 'RESOLVED' }.reason", equalTo("Client sent a stale tier; fixed and redeployed"));
    }

    @Test
    @Order(4)
    void rolloutsShowStageCohortAndTriggersAndOnlyAdminsRollBack() throws IOException {
        navigate("#/rollouts");
        By flag = By.cssSelector("section[data-flag='" + FLAG + "']");
        waitFor(ExpectedConditions.presenceOfElementLocated(flag));
        assertThat(driver.findElement(flag).findElements(By.cssSelector("button.rollback"))).isEmpty();
        assertThat(driver.findElement(flag).getText()).contains("Only admins can roll a flag back.");

        driver.findElement(By.id("logout")).click();
        signIn(tokens.admin());
        WebElement section = waitFor(ExpectedConditions.presenceOfElementLocated(flag));
        assertThat(section.findElement(By.cssSelector("[data-field='stage']")).getText()).isEqualTo("2 of 4");
        assertThat(section.findElement(By.cssSelector("[data-field='percent']")).getText()).isEqualTo("15 % of agents");
        assertThat(section.getText()).contains("5 %").contains("50 %").contains("100 %");
        screenshot("rollouts");

        section.findElement(By.cssSelector("input.rollback-reason")).sendKeys("p95 regression in the cohort");
        section.findElement(By.cssSelector("button.rollback")).click();
        waitFor(d -> d.findElements(By.cssSelector("section[data-flag='" + FLAG + "'] .badge.ROLLED_BACK")).size() == 1);
        given().baseUri(gate).auth().oauth2(tokens.admin()).get("/v1/flags/" + FLAG).then().statusCode(200)
                .body("status", equalTo("ROLLED_BACK"));
    }

    @Test
    @Order(5)
    void theBrowserVerifiesARealRecordsProofAndRejectsATamperedOne() throws IOException {
        navigate("#/provenance?agentId=" + WORKER);
        WebElement row = waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-record-id='" + evolvedRecord + "']")));
        assertThat(text("#checkpoint-signature")).isEqualTo("verified");
        screenshot("provenance");
        row.click();
        WebElement verify = waitFor(ExpectedConditions.elementToBeClickable(By.id("verify-proof")));
        assertThat(driver.findElements(By.cssSelector("#lineage li"))).hasSize(2);

        verify.click();
        assertThat(proofResult()).isEqualTo("verified");
        assertThat(text("#proof-result")).startsWith("Verified").contains("computed root equals the checkpoint root")
                .contains("checkpoint signature verified");
        screenshot("provenance-proof-verified");

        WebElement leaf = driver.findElement(By.id("leaf"));
        String original = leaf.getAttribute("value");
        assertThat(original).contains("\"agentId\":\"" + WORKER + "\"");
        leaf.clear();
        leaf.sendKeys(original.replace("\"agentId\":\"" + WORKER + "\"", "\"agentId\":\"e2e-mallory\""));
        driver.findElement(By.id("verify-proof")).click();
        assertThat(proofResult()).isEqualTo("failed");
        assertThat(text("#proof-result")).startsWith("FAILED").contains("computed root differs from the checkpoint root");
        screenshot("provenance-proof-tampered");
    }

    @Test
    @Order(6)
    void aTasksTimelineComesFromItsVerifiedLedger() throws IOException {
        navigate("#/tasks/" + TASK);
        waitFor(d -> d.findElements(By.cssSelector("#timeline li")).size() == 3);
        assertThat(driver.findElement(By.id("ledger-verify")).getAttribute("data-valid")).isEqualTo("true");
        assertThat(text("#task-phase")).isEqualTo("PLAN");
        assertThat(text("#timeline")).contains("STRATEGIZE → SPEC").contains("SPEC → PLAN");
        screenshot("task");
    }

    @Test
    @Order(7)
    void noRequestLeftThisMachineAndThePageBrokeNoPolicy() {
        List<String> urls = browser.requestedUrls();
        assertThat(urls).hasSizeGreaterThan(20)
                .anyMatch(u -> u.contains("/webjars/uplot/1.6.30/"))
                .anyMatch(u -> u.contains("/v1/dashboard/proxy/provenance/"))
                .anyMatch(u -> u.contains("/v1/dashboard/proxy/lease/"))
                .anyMatch(u -> u.contains("/v1/dashboard/proxy/gate/"));
        assertThat(urls).allMatch(HeadlessChromium::local, "is on 127.0.0.1/localhost");
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) js("return performance.getEntriesByType('navigation')"
                + ".concat(performance.getEntriesByType('resource')).map(e => e.name)");
        assertThat(resources).isNotEmpty().allMatch(HeadlessChromium::local, "is on 127.0.0.1/localhost");
        assertThat(browser.console()).noneMatch(l -> l.contains("Content Security Policy") || l.contains("Uncaught"));
    }

    // ---- seeding through the public APIs

    private void seed() {
        String admin = tokens.admin();
        Map<String, Integer> agents = Map.of(PROBER, 300, "e2e-verified", 450, WORKER, 700);
        agents.forEach((agent, score) -> given().baseUri(gate).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("trustScore", score)).put("/v1/agents/" + agent).then().statusCode(200));
        given().baseUri(gate).auth().oauth2(tokens.agent(WORKER)).contentType(ContentType.JSON)
                .body(Map.of("agentId", WORKER, "role", "OBSERVER", "tier", "TRUSTED",
                        "context", Map.of("resourceId", "reports/q3", "action", "read")))
                .post("/v1/role-gates/evaluate").then().statusCode(200).body("decision", equalTo("ALLOW"));
        // a BASIC agent claiming TRUSTED: denied by the kernel, and telemetry raises a BOUNDARY_TESTING alert
        given().baseUri(gate).auth().oauth2(tokens.agent(PROBER)).contentType(ContentType.JSON)
                .body(Map.of("agentId", PROBER, "role", "DEPLOYER", "tier", "TRUSTED",
                        "context", Map.of("resourceId", "prod/cluster", "action", "deploy")))
                .post("/v1/role-gates/evaluate").then().statusCode(200).body("decision", equalTo("DENY"));

        String worker = tokens.agent(WORKER);
        given().baseUri(lease).auth().oauth2(worker).contentType(ContentType.JSON)
                .body(Map.of("taskId", TASK, "title", "Ship the new planner")).post("/v1/tasks").then().statusCode(201);
        long fencing = given().baseUri(lease).auth().oauth2(worker).contentType(ContentType.JSON)
                .body(Map.of("taskId", TASK, "phase", "STRATEGIZE")).post("/v1/leases").then().statusCode(201)
                .extract().jsonPath().getLong("fencingToken");
        fencing = transition(worker, "SPEC", "strategy", fencing);
        transition(worker, "PLAN", "spec", fencing);

        String fresh = given().baseUri(provenance).auth().oauth2(worker).contentType(ContentType.JSON)
                .body(Map.of("agentId", WORKER, "creationType", "FRESH", "contentHash", "sha256:" + "a1".repeat(32),
                        "metadata", Map.of("model", "planner-v1")))
                .post("/v1/provenance").then().statusCode(201).extract().path("id");
        evolvedRecord = given().baseUri(provenance).auth().oauth2(worker).contentType(ContentType.JSON)
                .body(Map.of("agentId", WORKER, "creationType", "EVOLVED", "parentId", fresh,
                        "contentHash", "sha256:" + "b2".repeat(32), "metadata", Map.of("model", "planner-v2")))
                .post("/v1/provenance").then().statusCode(201).extract().path("id");

        given().baseUri(gate).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("flag", FLAG, "description", "The second-generation planner, staged 5 → 100 %"))
                .post("/v1/flags").then().statusCode(201);
        given().baseUri(gate).auth().oauth2(admin).contentType(ContentType.JSON).body("{}")
                .post("/v1/flags/" + FLAG + "/advance").then().statusCode(200).body("percent", equalTo(15));

        // telemetry learns all of this from the event stream: wait until it has
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(firstOpenAlert(PROBER)).isNotNull();
            assertThat(counter("events.agent.registered")).isGreaterThanOrEqualTo(3);
            assertThat(counter("role_gate_allowed")).isGreaterThanOrEqualTo(1);
            assertThat(counter("role_gate_denied")).isGreaterThanOrEqualTo(1);
            assertThat(counter("phase_transitions")).isGreaterThanOrEqualTo(2);
            assertThat(counter("events.rollout.advanced")).isGreaterThanOrEqualTo(1);
            assertThat(counter("events.checkpoint.published")).isGreaterThanOrEqualTo(1);
        });
    }

    private long transition(String token, String to, String evidenceKind, long fencing) {
        return given().baseUri(lease).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("to", to, "fencingToken", fencing, "evidence", List.of(Map.of("kind", evidenceKind,
                        "uri", "file://docs/" + evidenceKind + ".md", "sha256", "c3".repeat(32)))))
                .post("/v1/tasks/" + TASK + "/transitions").then().statusCode(200)
                .extract().jsonPath().getLong("fencingToken");
    }

    private long counter(String name) {
        return given().baseUri(telemetry).auth().oauth2(tokens.operator()).queryParam("window", 3600)
                .get("/v1/counters/" + name).then().statusCode(200).extract().jsonPath().getLong("value");
    }

    private String firstOpenAlert(String agentId) {
        List<String> ids = given().baseUri(telemetry).auth().oauth2(tokens.operator())
                .queryParam("agentId", agentId).queryParam("status", "ACTIVE")
                .get("/v1/alerts").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
        if (ids.isEmpty()) {
            ids = given().baseUri(telemetry).auth().oauth2(tokens.operator()).queryParam("agentId", agentId)
                    .get("/v1/alerts").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
        }
        return ids.isEmpty() ? null : ids.get(0);
    }

    private JsonPath telemetryGet(String path) {
        return given().baseUri(telemetry).auth().oauth2(tokens.operator()).get(path).then().statusCode(200)
                .extract().jsonPath();
    }

    // ---- driving the page

    private void signIn(String token) {
        WebElement field = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.clear();
        js("document.getElementById('login-error').hidden = true");
        field.sendKeys(token);
        driver.findElement(By.id("login-submit")).click();
        waitFor(d -> !d.findElement(By.id("login-error")).getText().isEmpty()
                && d.findElement(By.id("login-error")).isDisplayed()
                || d.findElement(By.id("view")).isDisplayed());
    }

    private String loginError() {
        return waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("login-error"))).getText();
    }

    private void navigate(String hash) {
        js("location.hash = arguments[0]", hash);
    }

    private void moveAlert(String to, String reason) {
        WebElement field = waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("transition-reason")));
        field.sendKeys(reason);
        driver.findElement(By.id("move-" + to)).click();
        waitFor(ExpectedConditions.textToBe(By.cssSelector("#alert-status .badge"), to));
    }

    private String proofResult() {
        return waitFor(d -> {
            String r = d.findElement(By.id("proof-result")).getAttribute("data-result");
            return r == null || r.isEmpty() ? null : r;
        });
    }

    private String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    private <T> T waitFor(java.util.function.Function<? super WebDriver, T> condition) {
        return new WebDriverWait(driver, UI_WAIT).until(condition);
    }

    private void screenshot(String name) throws IOException {
        browser.screenshot(SHOTS.resolve(name + ".png"));
    }
}
