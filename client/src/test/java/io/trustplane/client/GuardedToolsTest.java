package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import io.trustplane.client.langchain4j.GuardedTools;
import io.trustplane.launcher.ServiceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard around a LangChain4j {@code AiServices} agent against the real suite: a model (a scripted stand-in, the
 * only thing not real here) asks for three tool calls; the allowed one runs and its result is reported against its
 * decision, the escalated and the denied ones do not run and the model is told why.
 */
@ExtendWith(ClientSuite.Extension.class)
class GuardedToolsTest {

    interface Assistant {
        String chat(String message);
    }

    /** The agent's tools; each counts how often it really ran. */
    public static final class Tools {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger drops = new AtomicInteger();

        @Tool("Reads a file of the repository")
        public String read_file(@P("the file's path") String path) {
            reads.incrementAndGet();
            return "contents of " + path;
        }

        @Tool("Runs a SQL query against the analytics database")
        public String run_sql(@P("the query") String sql) {
            queries.incrementAndGet();
            return "1 row";
        }

        @Tool("Drops a table")
        public String drop_table(@P("the table") String table) {
            drops.incrementAndGet();
            return "dropped " + table;
        }
    }

    /** A language model stand-in: asks for the scripted calls once, then ends, keeping the tool results it was given. */
    static final class ScriptedModel implements ChatModel {
        private final List<ToolExecutionRequest> calls;
        final List<ToolExecutionResultMessage> results = new ArrayList<>();

        ScriptedModel(List<ToolExecutionRequest> calls) {
            this.calls = calls;
        }

        @Override
        public ChatResponse doChat(ChatRequest request) {
            List<ToolExecutionResultMessage> seen = request.messages().stream()
                    .filter(ToolExecutionResultMessage.class::isInstance).map(ToolExecutionResultMessage.class::cast)
                    .toList();
            if (seen.isEmpty()) {
                return ChatResponse.builder().aiMessage(new AiMessage(calls)).build();
            }
            results.addAll(seen);
            return ChatResponse.builder().aiMessage(AiMessage.from("done")).build();
        }
    }

    @Test
    void onlyTheAllowedToolRunsAndItsResultIsReportedAgainstItsDecision(ClientSuite suite) throws Exception {
        String agent = "lc4j-" + System.nanoTime();
        String callId = "call_read_" + System.nanoTime();
        try (TrustplaneClient operator = suite.client(suite.tokens().operator());
             TrustplaneClient client = suite.client(suite.tokens().agent(agent))) {
            operator.gate().registerAgent(agent, 300);
            Tools tools = new Tools();
            ScriptedModel model = new ScriptedModel(List.of(
                    call(callId, "read_file", "{\"path\":\"/repo/pom.xml\"}"),
                    call("call_sql_" + System.nanoTime(), "run_sql", "{\"sql\":\"SELECT count(*) FROM orders\"}"),
                    call("call_drop_" + System.nanoTime(), "drop_table", "{\"table\":\"orders\"}")));
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model)
                    .tools(GuardedTools.builder(client.gate(), agent)
                            .role("run_sql", "DATA_ANALYST") // tier 300 asks for approval
                            .role("drop_table", "SYSTEM_ADMIN") // kernel-enforced: denied
                            .tools(tools).build())
                    .build();

            assertThat(assistant.chat("count the orders, then clean up")).isEqualTo("done");

            assertThat(tools.reads).hasValue(1);
            assertThat(tools.queries).hasValue(0);
            assertThat(tools.drops).hasValue(0);
            assertThat(model.results).extracting(ToolExecutionResultMessage::text).containsExactly(
                    "contents of /repo/pom.xml",
                    model.results.get(1).text(),
                    model.results.get(2).text());
            assertThat(model.results.get(1).text()).startsWith("Trustplane escalated run_sql for approval (escalation ")
                    .contains("did not run");
            assertThat(model.results.get(2).text()).startsWith("Trustplane denied drop_table").contains("did not run");

            // the read's decision, found again under the model's call id, carries the reported result
            Model.ToolCallDecision decision = client.gate().checkToolCall(new Model.ToolCall(agent, "read_file", null,
                    Map.of("path", "/repo/pom.xml"), null, null, null, null, null, callId, null));
            JsonNode stored = get(suite, suite.tokens().agent(agent), "/v1/tool-calls/decisions/" + decision.decisionId());
            assertThat(stored.path("decision").asText()).isEqualTo("ALLOW");
            assertThat(stored.path("callId").asText()).isEqualTo(callId);
            assertThat(stored.path("resultStatus").asText()).isEqualTo("SUCCEEDED");
        }
    }

    private static ToolExecutionRequest call(String id, String name, String arguments) {
        return ToolExecutionRequest.builder().id(id).name(name).arguments(arguments).build();
    }

    private static JsonNode get(ClientSuite suite, String token, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(suite.url(ServiceSpec.byName("gate")) + path)).header("Authorization", "Bearer " + token).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body());
    }
}
