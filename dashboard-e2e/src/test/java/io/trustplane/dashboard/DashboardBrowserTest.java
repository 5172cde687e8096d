package io.trustplane.dashboard;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * The operator dashboard in headless Chromium against the whole suite (embedded PostgreSQL and Redis, the four
 * packaged services as child processes, random ports). The data is real: agents, gate decisions, a task walked
 * through two phases, provenance records, a staged rollout, the alert telemetry raises on a tier-claim probe and
 * two escalated tool calls with a validator's vote each are all created through the public APIs before the
 * browser opens. Screenshots of every page go to {@code target/screenshots/}; the README's come from there
 * ({@code docs/img/dashboard-*.png}).
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
    private static final String REVIEWER = "e2e-reviewer";
    private static final String DEPLOY_TOOL = "mcp__ci__deploy";
    private static final Map<String, Object> DEPLOY_ARGS = Map.of("env", "prod", "version", "2.0.0");

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
    private String deployEscalation;
    private String dirtyEscalation;

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
    void theTaskListLeadsToATasksTimelineFromItsVerifiedLedger() throws IOException {
        navigate("#/tasks");
        WebElement row = waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-task-id='" + TASK + "']")));
        List<String> listed = given().baseUri(lease).auth().oauth2(tokens.operator()).queryParam("limit", 50)
                .get("/v1/tasks").then().statusCode(200).extract().jsonPath().getList("items.taskId", String.class);
        assertThat(driver.findElements(By.cssSelector("#tasks-table tbody tr"))).extracting(r -> r.getAttribute("data-task-id"))
                .containsExactlyElementsOf(listed);
        assertThat(row.getText()).contains("Ship the new planner").contains("PLAN").contains(WORKER);
        screenshot("tasks");

        navigate("#/tasks?phase=VERIFY");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("no-tasks")));
        navigate("#/tasks?agent=" + WORKER);
        row = waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-task-id='" + TASK + "'] a")));
        row.click();
        waitFor(d -> d.findElements(By.cssSelector("#timeline li")).size() == 3);
        assertThat(driver.getCurrentUrl()).endsWith("#/tasks/" + TASK);
        assertThat(driver.findElement(By.id("ledger-verify")).getAttribute("data-valid")).isEqualTo("true");
        assertThat(text("#task-phase")).isEqualTo("PLAN");
        assertThat(text("#timeline")).contains("STRATEGIZE → SPEC").contains("SPEC → PLAN");
        screenshot("task");
    }

    @Test
    @Order(7)
    void theEscalationQueueShowsWhatIsAskedAndTheVotesAndAnOperatorApprovesWithAReason() throws IOException {
        driver.findElement(By.id("logout")).click();
        signIn(tokens.operator());
        navigate("#/escalations");
        By card = By.cssSelector("section.escalation[data-escalation-id='" + deployEscalation + "']");
        WebElement deploy = waitFor(ExpectedConditions.presenceOfElementLocated(card));
        // the voting window (10 s) may or may not have passed: both undecided states are in the default queue
        assertThat(deploy.getAttribute("data-status")).isIn("OPEN", "AWAITING_OPERATOR");
        assertThat(deploy.findElement(By.tagName("h2")).getText()).isEqualTo("Tool call " + DEPLOY_TOOL + " on prod/cluster");
        assertThat(field(deploy, "agent")).isEqualTo(WORKER);
        assertThat(field(deploy, "tool")).isEqualTo(DEPLOY_TOOL);
        assertThat(field(deploy, "summary")).isEqualTo("Deploy planner 2.0.0 to prod");
        assertThat(field(deploy, "digest")).isEqualTo(digest("{\"env\":\"prod\",\"version\":\"2.0.0\"}"));
        JsonPath asked = given().baseUri(gate).auth().oauth2(tokens.operator()).get("/v1/escalations/" + deployEscalation)
                .then().statusCode(200).extract().jsonPath();
        assertThat(field(deploy, "reason")).isEqualTo("Why it escalated: " + asked.getString("reason"));
        // n = 4, f = 1: 2f + 1 = 3 approvals decide; one validator has approved so far
        assertThat(field(deploy, "quorum")).startsWith("1 of 3 approvals needed · 0 rejections");
        assertThat(deploy.findElements(By.cssSelector("li.vote"))).singleElement().satisfies(v -> {
            assertThat(v.getAttribute("data-validator")).isEqualTo("validator-1");
            assertThat(v.getAttribute("data-approve")).isEqualTo("true");
            assertThat(v.getText()).contains("validator-1: matches the release plan");
        });
        WebElement dirty = driver.findElement(By.cssSelector("section.escalation[data-escalation-id='" + dirtyEscalation + "']"));
        assertThat(field(dirty, "quorum")).startsWith("0 of 3 approvals needed · 1 rejections");
        screenshot("escalations");

        // no reason, no decision
        deploy.findElement(By.cssSelector("button.approve")).click();
        waitFor(d -> d.findElement(card).findElement(By.cssSelector(".decision-message")).getText().equals("A reason is required."));
        given().baseUri(gate).auth().oauth2(tokens.operator()).get("/v1/escalations/" + deployEscalation).then()
                .statusCode(200).body("decision", nullValue());

        deploy.findElement(By.cssSelector("textarea.decision-reason")).sendKeys("Release 2.0.0 was reviewed; ship it");
        deploy.findElement(By.cssSelector("button.approve")).click();
        // a decided escalation leaves the pending queue
        waitFor(ExpectedConditions.numberOfElementsToBe(card, 0));
        navigate("#/escalations?status=APPROVED");
        WebElement approved = waitFor(ExpectedConditions.presenceOfElementLocated(card));
        assertThat(approved.findElement(By.cssSelector(".decision")).getText())
                .contains("Approved by operator-1").contains("Release 2.0.0 was reviewed; ship it");
        assertThat(approved.findElements(By.cssSelector("button.approve"))).isEmpty();

        given().baseUri(gate).auth().oauth2(tokens.operator()).get("/v1/escalations/" + deployEscalation).then()
                .statusCode(200).body("status", equalTo("APPROVED")).body("decision", equalTo("ALLOW"))
                .body("decidedBy", equalTo("operator-1")).body("decisionNote", equalTo("Release 2.0.0 was reviewed; ship it"))
                .body("votes.size()", equalTo(1));
        // the approval is the effect: the same call, made again, is now allowed
        given().baseUri(gate).auth().oauth2(tokens.agent(WORKER)).contentType(ContentType.JSON)
                .body(Map.of("agentId", WORKER, "tool", DEPLOY_TOOL, "resource", "prod/cluster", "arguments", DEPLOY_ARGS))
                .post("/v1/tool-calls/decisions").then().statusCode(200).body("decision", equalTo("ALLOW"))
                .body("layer", equalTo("APPROVAL"));
    }

    @Test
    @Order(8)
    void theAgentsPageShowsTierAndScoreHistoryAndSuspendsAndReinstates() throws IOException {
        navigate("#/agents?tier=TRUSTED");
        WebElement row = waitFor(ExpectedConditions.elementToBeClickable(By.cssSelector("tr[data-agent-id='" + WORKER + "']")));
        assertThat(driver.findElements(By.cssSelector("tr[data-agent-id='" + PROBER + "']"))).isEmpty();
        assertThat(row.getText()).contains("TRUSTED").contains("700");
        navigate("#/agents");
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-agent-id='" + PROBER + "']")));
        screenshot("agents");

        navigate("#/agents/" + REVIEWER);
        waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("[data-field='tier']")));
        JsonPath agent = given().baseUri(gate).auth().oauth2(tokens.operator()).get("/v1/agents/" + REVIEWER).then()
                .statusCode(200).extract().jsonPath();
        // registered at 450, then raised to 720: VERIFIED, then TRUSTED (seed 002's tier bands)
        assertThat(text("[data-field='tier']")).isEqualTo("TRUSTED (T3)");
        assertThat(text("[data-field='trustScore']")).isEqualTo("720");
        assertThat(text("[data-field='effectiveScore']")).isEqualTo(agent.getString("effectiveScore"));
        List<WebElement> changes = driver.findElements(By.cssSelector("tr.score-change"));
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).getText()).contains("450 → 720").contains("TRUSTED");
        assertThat(changes.get(1).getText()).contains("450").contains("VERIFIED");
        waitFor(d -> d.findElements(By.cssSelector("#score-chart .uplot canvas")).size() == 1);
        screenshot("agent");

        driver.findElement(By.id("suspend")).click();
        waitFor(ExpectedConditions.textToBe(By.id("agent-message"), "A reason is required."));
        driver.findElement(By.id("agent-reason")).sendKeys("Reviewing its last deploys");
        driver.findElement(By.id("suspend")).click();
        waitFor(ExpectedConditions.textToBe(By.cssSelector("[data-field='suspendedReason']"), "Reviewing its last deploys"));
        assertThat(text("#agent-state")).contains("SUSPENDED");
        given().baseUri(gate).auth().oauth2(tokens.operator()).get("/v1/agents/" + REVIEWER).then().statusCode(200)
                .body("suspended", equalTo(true)).body("suspendedReason", equalTo("Reviewing its last deploys"));
        evaluate(REVIEWER).body("decision", equalTo("DENY"));

        waitFor(ExpectedConditions.elementToBeClickable(By.id("reinstate"))).click();
        waitFor(ExpectedConditions.elementToBeClickable(By.id("suspend")));
        assertThat(text("#agent-state")).doesNotContain("SUSPENDED");
        given().baseUri(gate).auth().oauth2(tokens.operator()).get("/v1/agents/" + REVIEWER).then().statusCode(200)
                .body("suspended", equalTo(false));
    }

    @Test
    @Order(9)
    void aSilenceIsCreatedListedAndExpiredThroughThePage() throws IOException {
        navigate("#/silences");
        waitFor(ExpectedConditions.visibilityOfElementLocated(By.id("silence-form")));
        driver.findElement(By.id("silence-comment")).sendKeys("Probe drills this afternoon");
        driver.findElement(By.id("silence-create")).click();
        waitFor(ExpectedConditions.textToBe(By.id("silence-message"), "Give at least one matcher: kind, agent or severity."));

        driver.findElement(By.id("silence-agentId")).sendKeys(PROBER);
        new Select(driver.findElement(By.id("silence-severity"))).selectByValue("MEDIUM");
        new Select(driver.findElement(By.id("silence-duration"))).selectByValue("PT4H");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        driver.findElement(By.id("silence-create")).click();
        WebElement row = waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.silence")));
        Instant after = Instant.now();
        String id = row.getAttribute("data-silence-id");
        assertThat(row.getAttribute("data-state")).isEqualTo("ACTIVE");
        assertThat(row.getText()).contains("agent=" + PROBER).contains("severity=MEDIUM")
                .contains("Probe drills this afternoon").contains("operator-1");
        screenshot("silences");

        JsonPath created = given().baseUri(telemetry).auth().oauth2(tokens.operator()).get("/v1/silences/" + id).then()
                .statusCode(200).extract().jsonPath();
        assertThat(created.getString("silence.agentId")).isEqualTo(PROBER);
        assertThat(created.getString("silence.severity")).isEqualTo("MEDIUM");
        assertThat(created.getString("silence.kind")).isNull();
        assertThat(created.getString("silence.createdBy")).isEqualTo("operator-1");
        assertThat(created.getString("silence.state")).isEqualTo("ACTIVE");
        // "for 4 h" from the moment the browser sent it (the page computes the end; the server takes the start as now)
        assertThat(Instant.parse(created.getString("silence.endsAt")))
                .isBetween(before.plus(Duration.ofHours(4)), after.plus(Duration.ofHours(4)));

        row.findElement(By.cssSelector("button.expire")).click();
        waitFor(ExpectedConditions.presenceOfElementLocated(By.id("no-silences")));
        given().baseUri(telemetry).auth().oauth2(tokens.operator()).get("/v1/silences/" + id).then().statusCode(200)
                .body("silence.state", equalTo("EXPIRED"));
        navigate("#/silences?state=all");
        WebElement expired = waitFor(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr.silence[data-silence-id='" + id + "']")));
        assertThat(expired.getAttribute("data-state")).isEqualTo("EXPIRED");
        assertThat(expired.findElements(By.cssSelector("button.expire"))).isEmpty();
    }

    @Test
    @Order(10)
    void anAgentIsContainedAndTheContainmentLiftedThroughThePage() throws IOException {
        String worker = tokens.agent(WORKER);
        String task = "e2e-task-2";
        given().baseUri(lease).auth().oauth2(worker).contentType(ContentType.JSON)
                .body(Map.of("taskId", task, "title", "Rotate the deploy keys")).post("/v1/tasks").then().statusCode(201);
        String leaseId = given().baseUri(lease).auth().oauth2(worker).contentType(ContentType.JSON)
                .body(Map.of("taskId", task, "phase", "STRATEGIZE")).post("/v1/leases").then().statusCode(201)
                .extract().path("leaseId");
        // the lease just taken and any other the worker still holds (its first task's, unless it expired)
        List<String> held = given().baseUri(lease).auth().oauth2(tokens.operator()).queryParam("holder", WORKER)
                .get("/v1/leases").then().statusCode(200).extract().jsonPath().getList("leaseId", String.class);
        assertThat(held).contains(leaseId);

        navigate("#/agents/" + WORKER);
        waitFor(ExpectedConditions.elementToBeClickable(By.id("contain"))).click();
        waitFor(ExpectedConditions.textToBe(By.id("agent-message"), "A reason is required."));
        driver.findElement(By.id("agent-reason")).sendKeys("Its token was seen in a public paste");
        driver.findElement(By.id("contain")).click();
        WebElement result = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#containment-result[data-contained='true']")));
        String released = result.findElement(By.cssSelector("li[data-step='leases']")).getText();
        assertThat(released).startsWith(held.size() + " lease(s) force-released");
        assertThat(held).allSatisfy(id -> assertThat(released).contains(id));
        assertThat(result.getText()).contains("Contained by operator-1").contains("Its token was seen in a public paste")
                .contains("an alert is raised");
        assertThat(text("#agent-state")).contains("CONTAINED");
        assertThat(text("[data-field='containedReason']")).isEqualTo("Its token was seen in a public paste");
        assertThat(driver.findElements(By.id("lift"))).hasSize(1);
        screenshot("agent-contained");

        given().baseUri(gate).auth().oauth2(tokens.operator()).get("/v1/agents/" + WORKER).then().statusCode(200)
                .body("contained", equalTo(true)).body("containment.containedBy", equalTo("operator-1"))
                .body("containment.reason", equalTo("Its token was seen in a public paste"));
        given().baseUri(lease).auth().oauth2(tokens.operator()).queryParam("holder", WORKER).get("/v1/leases").then()
                .statusCode(200).body("size()", equalTo(0));
        evaluate(WORKER).body("decision", equalTo("DENY")).body("ruleId", equalTo("kernel:contained"));

        driver.findElement(By.id("agent-reason")).sendKeys("Token rotated, agent redeployed");
        driver.findElement(By.id("lift")).click();
        result = waitFor(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#containment-result[data-contained='false']")));
        // a released lease is not given back: the page says so, with the server's reason
        assertThat(result.findElements(By.cssSelector("li.not-undone"))).anySatisfy(li ->
                assertThat(li.getText()).contains(leaseId));
        assertThat(text("#agent-state")).doesNotContain("CONTAINED");
        assertThat(driver.findElements(By.id("contain"))).hasSize(1);
        given().baseUri(gate).auth().oauth2(tokens.operator()).get("/v1/agents/" + WORKER).then().statusCode(200)
                .body("contained", equalTo(false));
        evaluate(WORKER).body("decision", equalTo("ALLOW"));
    }

    @Test
    @Order(20)
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

        // a reviewer registered at 450 (VERIFIED), then raised to 720 (TRUSTED): two entries in its score history
        given().baseUri(gate).auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("trustScore", 450))
                .put("/v1/agents/" + REVIEWER).then().statusCode(200).body("tier", equalTo("VERIFIED"));
        given().baseUri(gate).auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("trustScore", 720))
                .put("/v1/agents/" + REVIEWER).then().statusCode(200).body("tier", equalTo("TRUSTED"));

        // deploys escalate: two tool calls wait for a quorum, one with a validator's approval, one with a rejection
        given().baseUri(gate).auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "escalate " + DEPLOY_TOOL, "priority", 70, "actions", List.of(DEPLOY_TOOL),
                        "effect", "ESCALATE")).post("/v1/policies").then().statusCode(201);
        deployEscalation = escalatedToolCall(WORKER, DEPLOY_ARGS, "Deploy planner 2.0.0 to prod");
        dirtyEscalation = escalatedToolCall(PROBER, Map.of("env", "prod", "version", "2.1.0-dirty"),
                "Deploy an unreviewed build to prod");
        vote(deployEscalation, "validator-1", true, "matches the release plan");
        vote(dirtyEscalation, "validator-2", false, "not a reviewed build");

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

    /** The agent asks to read a report as an OBSERVER (its tier allows it unless gate denies it everything). */
    private ValidatableResponse evaluate(String agent) {
        return given().baseUri(gate).auth().oauth2(tokens.agent(agent)).contentType(ContentType.JSON)
                .body(Map.of("agentId", agent, "role", "OBSERVER", "context", Map.of("resourceId", "reports/q3", "action", "read")))
                .post("/v1/role-gates/evaluate").then().statusCode(200);
    }

    private String escalatedToolCall(String agent, Map<String, Object> arguments, String summary) {
        return given().baseUri(gate).auth().oauth2(tokens.agent(agent)).contentType(ContentType.JSON)
                .body(Map.of("agentId", agent, "tool", DEPLOY_TOOL, "resource", "prod/cluster", "arguments", arguments,
                        "summary", summary))
                .post("/v1/tool-calls/decisions").then().statusCode(200).body("decision", equalTo("ESCALATE"))
                .extract().path("escalationId");
    }

    private void vote(String escalation, String validator, boolean approve, String reason) {
        given().baseUri(gate).auth().oauth2(tokens.agent(validator)).contentType(ContentType.JSON)
                .body(Map.of("approve", approve, "reason", reason))
                .post("/v1/escalations/" + escalation + "/votes").then().statusCode(200);
    }

    /** sha256: and the hex SHA-256 of the canonical (RFC 8785) arguments, computed here, not by gate-service. */
    private static String digest(String canonicalJson) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalJson.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    private static String field(WebElement within, String name) {
        return within.findElement(By.cssSelector("[data-field='" + name + "']")).getText();
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
