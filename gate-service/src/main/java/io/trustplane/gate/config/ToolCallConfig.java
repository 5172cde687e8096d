package io.trustplane.gate.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Tool-call decisions: the receipt signing key, how long receipts and approvals stay valid, the default role. */
@ConfigMapping(prefix = "trustplane.tool-calls")
public interface ToolCallConfig {

    /** PKCS#8 PEM file of gate-service's Ed25519 receipt signing key (used when {@code key} is not set). */
    @WithDefault(".trustplane/receipt-signing-key.pem")
    String keyFile();

    /** The PEM text itself (e.g. from a secret in an environment variable); wins over key-file. */
    Optional<String> key();

    /** How long a decision receipt is valid: the tool call it allows must start before then. */
    @WithDefault("5m")
    Duration receiptTtl();

    /** How long an approval (a decided escalation) may be used, once, after its decision. */
    @WithDefault("15m")
    Duration approvalTtl();

    /** The role a tool call is gated as when the request names none. */
    @WithDefault("OBSERVER")
    String defaultRole();

    /**
     * How the hook routes answer ESCALATE: {@code deny} (default: the call waits for the quorum's approval) or
     * {@code ask} (the runtime asks its user, bypassing the quorum: only where an operator wants that).
     */
    @WithDefault("deny")
    String hookEscalateAs();

    /** The longest approver summary kept with an escalated call. */
    @WithDefault("500")
    int maxSummary();
}
