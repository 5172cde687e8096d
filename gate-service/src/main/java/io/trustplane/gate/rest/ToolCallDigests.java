package io.trustplane.gate.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.gate.service.ReceiptSigner;

/**
 * The digests a tool call is bound by: SHA-256 of the RFC 8785 canonical JSON of its arguments (or of its result),
 * computed here when the request carries them, taken as given otherwise, and refused when both disagree.
 */
final class ToolCallDigests {

    private ToolCallDigests() {
    }

    static String arguments(JsonNode arguments, String given) {
        return digest("arguments", "argumentsDigest", arguments, given);
    }

    static String result(JsonNode result, String given) {
        return digest("result", "resultDigest", result, given);
    }

    private static String digest(String field, String digestField, JsonNode value, String given) {
        if (value == null || value.isMissingNode()) {
            if (given == null) {
                throw ProblemException.unprocessable(field + "_required", field, "give the " + field
                        + " (any JSON) or " + digestField + " (sha256:<hex> of their RFC 8785 canonical form)");
            }
            return given;
        }
        String computed = ReceiptSigner.digest(value.toString());
        if (given != null && !given.equals(computed)) {
            throw ProblemException.unprocessable(digestField + "_mismatch", digestField, digestField + " " + given
                    + " is not the digest of the " + field + " given (" + computed + ")");
        }
        return computed;
    }
}
