package io.trustplane.containers;

import io.trustplane.e2e.E2e;
import io.trustplane.testing.TokenMinter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The e2e module's cross-service suite, run against a Compose project instead of the launcher's processes: its test
 * classes (from the e2e test jar) see the project as an {@link E2e.Target}, base URLs and the keys' token minter,
 * plus the published PostgreSQL and Redis ports and the name the containers reach the host at.
 */
final class EndToEnd {

    /**
     * Every e2e class but RedisOutageTest, which stops and restarts the launcher's embedded Redis and PostgreSQL
     * in the middle of its flows: a drill on those processes, not on the APIs (E2e aborts it elsewhere anyway).
     */
    static final List<String> CLASSES = List.of("AlertRulesAgreeWithHelmTest", "AnchorsTest", "ContainmentTest",
            "RolloutGuardTest", "SeedScenariosTest", "ToolCallGuardTest", "TrustBoundaryTest", "WebhookDeliveryTest");

    private EndToEnd() {
    }

    /** The settings the e2e suite gives every service, its webhook receivers reached on the host. */
    static Map<String, String> settings() {
        return E2e.settings(ComposeRun.HOST_ALIAS);
    }

    static E2e.Target target(ComposeRun run) {
        return new E2e.Target() {
            @Override
            public String url(String shortName) {
                return run.url(shortName);
            }

            @Override
            public TokenMinter tokens() {
                return run.keys.minter();
            }

            @Override
            public byte[] anchorKey(String service) {
                return run.keys.anchorKey(service);
            }

            @Override
            public Connection database(String shortName) throws SQLException {
                return run.db(shortName);
            }

            @Override
            public URI redis() {
                return run.redis();
            }

            @Override
            public String receiverHost() {
                return ComposeRun.HOST_ALIAS;
            }
        };
    }

    /** Runs {@link #CLASSES} against {@code run} in a JUnit launcher of its own; returns its summary. */
    static TestExecutionSummary run(ComposeRun run) {
        E2e.against(target(run));
        try {
            var request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(CLASSES.stream().map(c -> DiscoverySelectors.selectClass("io.trustplane.e2e." + c)).toList())
                    .build();
            SummaryGeneratingListener listener = new SummaryGeneratingListener();
            LauncherFactory.create().execute(request, listener);
            return listener.getSummary();
        } finally {
            E2e.against(null);
        }
    }

    static String failures(TestExecutionSummary summary) {
        StringWriter out = new StringWriter();
        summary.printFailuresTo(new PrintWriter(out), 25);
        return out.toString();
    }
}
