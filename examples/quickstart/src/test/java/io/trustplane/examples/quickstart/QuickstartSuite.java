package io.trustplane.examples.quickstart;

import io.trustplane.launcher.SharedSuite;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The packaged suite with shipped settings, as {@code ./trustplane up} runs it, started once for every test class of
 * this module (see {@link SharedSuite}).
 */
final class QuickstartSuite extends SharedSuite {

    private static final AtomicLong SEQ = new AtomicLong(System.nanoTime() % 1_000_000);

    private QuickstartSuite() {
        super("quickstart", List.of(), Map.of());
    }

    static String unique(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet();
    }

    /** The settings the doc tells a reader to export, for a fresh agent and task. */
    Quickstart.Settings settings(String agent, String task) {
        return new Quickstart.Settings(url("lease"), url("provenance"), url("gate"), url("telemetry"),
                tokens().operator(), tokens().agent(agent), agent, task, null, Duration.ofSeconds(60));
    }

    /** Starts the suite on first use and hands it to every test that declares it as a parameter. */
    static final class Extension extends Resolver<QuickstartSuite> {
        Extension() {
            super(QuickstartSuite.class, QuickstartSuite::new);
        }
    }
}
