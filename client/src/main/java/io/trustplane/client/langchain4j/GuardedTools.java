package io.trustplane.client.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import io.trustplane.client.Gate;
import io.trustplane.client.Model;

import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The tool-call guard around every tool of a LangChain4j {@code AiServices} agent: before a tool runs, Trustplane
 * decides the exact call (tool and arguments, the model's tool-call id as the call id); a DENY or an ESCALATE is
 * answered to the model as the tool's error result and the tool does not run; after an allowed call, its result (or
 * its failure) is reported against the decision, so both receipts are signed and anchored.
 *
 * <pre>{@code
 * Map<ToolSpecification, ToolExecutor> tools = GuardedTools.builder(client.gate(), "agent-7")
 *         .role("run_sql", "DATA_ANALYST")
 *         .tools(new MyTools())
 *         .build();
 * Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(tools).build();
 * }</pre>
 *
 * LangChain4j is an optional dependency of the SDK: add {@code dev.langchain4j:langchain4j} to use this class.
 */
public final class GuardedTools {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GuardedTools() {
    }

    public static Builder builder(Gate gate, String agentId) {
        return new Builder(gate, agentId);
    }

    /** Which tools to guard and the role each is gated as (the guard's default role when not named). */
    public static final class Builder {

        private final Gate gate;
        private final String agentId;
        private final Map<String, String> roles = new HashMap<>();
        private final Map<ToolSpecification, ToolExecutor> tools = new LinkedHashMap<>();

        private Builder(Gate gate, String agentId) {
            this.gate = Objects.requireNonNull(gate, "gate");
            this.agentId = Objects.requireNonNull(agentId, "agentId");
        }

        /** The role the named tool's calls are gated as. */
        public Builder role(String toolName, String role) {
            roles.put(toolName, role);
            return this;
        }

        /** Every {@link Tool}-annotated method of these objects. */
        public Builder tools(Object... objects) {
            for (Object object : objects) {
                for (Method method : object.getClass().getDeclaredMethods()) {
                    if (method.isAnnotationPresent(Tool.class)) {
                        tool(ToolSpecifications.toolSpecificationFrom(method), new DefaultToolExecutor(object, method));
                    }
                }
            }
            return this;
        }

        /** One tool given as LangChain4j's specification and executor. */
        public Builder tool(ToolSpecification specification, ToolExecutor executor) {
            tools.put(specification, executor);
            return this;
        }

        /** The guarded tools, for {@code AiServices.builder(...).tools(map)}. */
        public Map<ToolSpecification, ToolExecutor> build() {
            Map<ToolSpecification, ToolExecutor> guarded = new LinkedHashMap<>();
            tools.forEach((spec, executor) -> guarded.put(spec,
                    new Guarded(gate, agentId, spec.name(), roles.get(spec.name()), executor)));
            return guarded;
        }
    }

    /** One tool behind the guard. */
    private record Guarded(Gate gate, String agentId, String tool, String role, ToolExecutor delegate)
            implements ToolExecutor {

        @Override
        public String execute(ToolExecutionRequest request, Object memoryId) {
            return guard(request, () -> {
                String text = delegate.execute(request, memoryId);
                return ToolExecutionResult.builder().result(text).resultText(text).build();
            }).resultText();
        }

        @Override
        public ToolExecutionResult executeWithContext(ToolExecutionRequest request, InvocationContext context) {
            return guard(request, () -> delegate.executeWithContext(request, context));
        }

        private ToolExecutionResult guard(ToolExecutionRequest request, Supplier<ToolExecutionResult> run) {
            JsonNode arguments = arguments(request.arguments());
            Model.ToolCallDecision decision = gate.checkToolCall(new Model.ToolCall(agentId, tool, null, arguments,
                    null, null, role, null, null, request.id(), null));
            if (!decision.allowed()) {
                return ToolExecutionResult.builder().isError(true).resultText(refusal(decision)).build();
            }
            ToolExecutionResult result;
            try {
                result = run.get();
            } catch (RuntimeException e) {
                gate.reportToolResult(agentId, decision.decisionId(), arguments, String.valueOf(e.getMessage()),
                        "FAILED");
                throw e;
            }
            gate.reportToolResult(agentId, decision.decisionId(), arguments, result.resultText(),
                    result.isError() ? "FAILED" : "SUCCEEDED");
            return result;
        }

        private String refusal(Model.ToolCallDecision decision) {
            if ("ESCALATE".equals(decision.decision())) {
                return "Trustplane escalated " + tool + " for approval (escalation " + decision.escalationId() + "): "
                        + decision.reason() + ". The tool did not run; once the escalation is approved, make the same"
                        + " call again with the same arguments.";
            }
            return "Trustplane denied " + tool + ": " + decision.reason() + ". The tool did not run.";
        }

        private static JsonNode arguments(String text) {
            try {
                return JSON.readTree(text == null || text.isBlank() ? "{}" : text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("the model's arguments for a tool call are not JSON", e);
            }
        }
    }
}
