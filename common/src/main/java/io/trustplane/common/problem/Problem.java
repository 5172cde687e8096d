package io.trustplane.common.problem;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem document: the body of every error answer, served as {@code application/problem+json}.
 * {@code code} is a stable machine-readable slug (for example {@code evidence_gate_failed}); {@code errors}
 * names each rejected field; {@code extensions} carries problem-specific members such as a lease's holder.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "title", "status", "code", "detail", "instance", "errors"})
public record Problem(
        String type,
        String title,
        int status,
        String code,
        String detail,
        String instance,
        List<FieldViolation> errors,
        @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:trustplane:problem:";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
        extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static String typeFor(String code) {
        return TYPE_PREFIX + code;
    }

    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions;
    }
}
