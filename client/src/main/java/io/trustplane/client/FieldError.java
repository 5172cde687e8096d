package io.trustplane.client;

/** One rejected input field of a problem answer: its JSON path (e.g. {@code context.action}) and why. */
public record FieldError(String field, String message) {
}
