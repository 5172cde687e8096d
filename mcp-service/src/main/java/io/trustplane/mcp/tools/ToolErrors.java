package io.trustplane.mcp.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkiverse.mcp.server.ToolCallException;
import io.trustplane.client.FieldError;
import io.trustplane.client.ProblemException;
import io.trustplane.client.TrustplaneException;

import java.util.function.Supplier;

/**
 * Turns what the services refused into MCP tool errors (a result with {@code isError: true}, never a JSON-RPC
 * internal error) whose text is the problem document: status, code, detail, the rejected fields and the extras,
 * so that a model can read why and what to change.
 */
final class ToolErrors {

    private final ObjectMapper json;

    ToolErrors(ObjectMapper json) {
        this.json = json;
    }

    <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (ProblemException e) {
            throw new ToolCallException(problem(e));
        } catch (TrustplaneException e) {
            throw new ToolCallException(error(503, "service_unreachable", e.getMessage(), null));
        }
    }

    /** A tool error about one argument the caller gave. */
    ToolCallException badArgument(String field, String message) {
        return new ToolCallException(error(400, "invalid_request", field + ": " + message, new FieldError(field, message)));
    }

    private String problem(ProblemException e) {
        ObjectNode out = json.createObjectNode();
        out.put("status", e.status());
        out.put("code", e.code());
        if (e.detail() != null) {
            out.put("detail", e.detail());
        }
        if (!e.errors().isEmpty()) {
            var errors = out.putArray("errors");
            e.errors().forEach(f -> errors.addObject().put("field", f.field()).put("message", f.message()));
        }
        e.extras().forEach(out::set);
        return out.toString();
    }

    private String error(int status, String code, String detail, FieldError field) {
        ObjectNode out = json.createObjectNode().put("status", status).put("code", code).put("detail", detail);
        if (field != null) {
            out.putArray("errors").addObject().put("field", field.field()).put("message", field.message());
        }
        return out.toString();
    }
}
