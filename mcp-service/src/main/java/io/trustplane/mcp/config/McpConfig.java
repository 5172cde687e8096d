package io.trustplane.mcp.config;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

/** The endpoint's own settings. */
@ConfigMapping(prefix = "trustplane.mcp")
public interface McpConfig {

    /** One tool call's deadline, retries of 429/503 included. */
    Duration callDeadline();

    /** The longest string a tool argument may be (longer ones are refused as a tool error naming the argument). */
    int maxArgumentChars();
}
