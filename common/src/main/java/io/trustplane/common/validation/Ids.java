package io.trustplane.common.validation;

/**
 * The one spelling of the identifier constraint every service validates (agent, task, flag, rule and caller ids):
 * {@code @Pattern(regexp = Ids.PATTERN, message = Ids.MESSAGE)}. A constant rather than a composed constraint
 * annotation because the OpenAPI documents take the pattern from {@code @Pattern} itself, and the fuzz suite reads it
 * there.
 */
public final class Ids {

    /** Letters, digits and {@code . _ : -}, 1 to 128 of them: safe in paths, Redis keys and log lines. */
    public static final String PATTERN = "[A-Za-z0-9._:-]{1,128}";
    /** The violation message, naming the pattern. */
    public static final String MESSAGE = "must match " + PATTERN;

    private Ids() {
    }
}
