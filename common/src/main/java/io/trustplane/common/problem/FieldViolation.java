package io.trustplane.common.problem;

/** One rejected input field: its JSON path (e.g. {@code context.action}) and why it was rejected. */
public record FieldViolation(String field, String message) {
}
