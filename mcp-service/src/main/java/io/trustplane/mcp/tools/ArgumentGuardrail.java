package io.trustplane.mcp.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkiverse.mcp.server.ToolInputGuardrail;
import io.quarkiverse.mcp.server.ToolManager;
import io.trustplane.mcp.config.McpConfig;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Singleton;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Holds a tool call's arguments to the tool's schema before it runs: an argument the tool does not take is refused
 * (never silently ignored while the call acts), and so is an id argument longer than an id can be or a string longer
 * than the endpoint accepts, each as a tool error naming the argument, as the REST API names the field.
 */
@Singleton
public class ArgumentGuardrail implements ToolInputGuardrail {

    /** The longest id any service accepts (task and agent ids; UUIDs are shorter). */
    static final int MAX_ID_CHARS = 128;

    private final ToolErrors errors = new ToolErrors(new ObjectMapper());
    private final int maxChars;

    public ArgumentGuardrail(McpConfig config) {
        this.maxChars = config.maxArgumentChars();
    }

    @Override
    public void apply(ToolInputContext context) {
        JsonObject arguments = context.getArguments();
        if (arguments == null) {
            return;
        }
        Set<String> known = context.getTool().arguments().stream().map(ToolManager.ToolArgument::name)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String name : new TreeSet<>(arguments.fieldNames())) {
            if (!known.contains(name)) {
                throw errors.badArgument(name, "is not an argument of " + context.getTool().name() + " (it takes "
                        + known + ")");
            }
            if (arguments.getValue(name) instanceof String s) {
                if (name.endsWith("Id") && s.length() > MAX_ID_CHARS) {
                    throw errors.badArgument(name, "is longer than an id can be (" + MAX_ID_CHARS + " characters)");
                }
                if (s.length() > maxChars) {
                    throw errors.badArgument(name, "is longer than " + maxChars + " characters");
                }
            }
        }
    }
}
