package io.trustplane.examples.quickstart;

import io.trustplane.client.Model.Agent;
import io.trustplane.client.Phase;
import io.trustplane.client.TrustplaneClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The curl section of docs/quickstart.md runs: its {@code bash} blocks, in order, in one bash with the variables the
 * doc tells the reader to export (exiting at the first failing command), each block must complete, and the journey's
 * effects are then read back through the REST API as an operator.
 */
@ExtendWith(QuickstartSuite.Extension.class)
class CurlQuickstartTest {

    private static final Pattern BASH = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL);

    @Test
    void theCurlLinesRunAndTheirEffectsAreThere(QuickstartSuite suite, @TempDir Path tmp) throws Exception {
        Process tools = new ProcessBuilder("bash", "-c", "command -v curl jq sha256sum").redirectErrorStream(true)
                .start();
        assertThat(tools.waitFor(30, TimeUnit.SECONDS) && tools.exitValue() == 0)
                .as("the doc's curl section needs curl, jq and sha256sum on the PATH").isTrue();
        List<String> blocks = curlBlocks();
        assertThat(blocks).as("the curl section's bash blocks").hasSizeGreaterThanOrEqualTo(7);
        String agent = QuickstartSuite.unique("quickstart-curl");
        String task = QuickstartSuite.unique("quickstart-curl-task");

        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < blocks.size(); i++) {
            script.append(blocks.get(i)).append("\necho '::block ").append(i + 1).append(" done'\n");
        }
        Path file = tmp.resolve("quickstart.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Path out = tmp.resolve("out.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(QuickstartSuite.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("LEASE", suite.url("lease"));
        pb.environment().put("PROVENANCE", suite.url("provenance"));
        pb.environment().put("GATE", suite.url("gate"));
        pb.environment().put("TELEMETRY", suite.url("telemetry"));
        pb.environment().put("TOKEN", suite.tokens().operator());
        pb.environment().put("AGENT", agent);
        pb.environment().put("TASK", task);
        pb.environment().put("AGENT_TOKEN", suite.tokens().agent(agent));
        pb.environment().put("TMPDIR", tmp.toString());
        Process bash = pb.start();
        boolean ended = bash.waitFor(5, TimeUnit.MINUTES);
        if (!ended) {
            bash.destroyForcibly().waitFor();
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(ended).as("the curl lines finished; output:\n%s", output).isTrue();
        for (int i = 1; i <= blocks.size(); i++) {
            assertThat(output).as("block %d of the curl section completed (exit status %d); output:\n%s", i,
                    bash.exitValue(), output).contains("::block " + i + " done");
        }
        assertThat(bash.exitValue()).isZero();
        assertThat(output).contains("OK: leaf");

        try (TrustplaneClient operator = TrustplaneClient.builder()
                .lease(suite.url("lease")).provenance(suite.url("provenance")).gate(suite.url("gate"))
                .telemetry(suite.url("telemetry")).token(suite.tokens().operator()).build()) {
            Agent registered = operator.gate().agent(agent);
            assertThat(registered.trustScore()).isEqualTo(500);
            assertThat(operator.tasks().get(task).phase()).isEqualTo(Phase.PLAN);
            assertThat(operator.tasks().verifyLedger(task).valid()).isTrue();
            String records = get(suite.url("provenance") + "/v1/provenance?agentId=" + agent, suite);
            assertThat(records).contains("\"task\":\"" + task + "\"");
            assertThat(operator.telemetry().alerts("ACTIVE", null, null).items())
                    .anySatisfy(a -> {
                        assertThat(a.path("kind").asText()).isEqualTo("BOUNDARY_TESTING");
                        assertThat(a.path("agentId").asText()).isEqualTo(agent);
                    });
        }
    }

    /** The {@code bash} blocks after the "## curl" heading, up to the next "## " heading. */
    static List<String> curlBlocks() throws IOException {
        String doc = Files.readString(QuickstartDocTest.DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf("\n## curl\n");
        assertThat(start).as("docs/quickstart.md has a '## curl' section").isPositive();
        int end = doc.indexOf("\n## ", start + 1);
        Matcher m = BASH.matcher(doc.substring(start, end < 0 ? doc.length() : end));
        List<String> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    private static String get(String url, QuickstartSuite suite) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + suite.tokens().operator()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", url, r.body()).isEqualTo(200);
        return r.body();
    }
}
