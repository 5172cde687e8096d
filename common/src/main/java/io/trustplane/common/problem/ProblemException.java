package io.trustplane.common.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure the caller can act on, thrown from domain code and rendered as problem+json by
 * {@link ProblemMappers}. Carries no HTTP types beyond the status number so domain code stays plain Java.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String code;
    private final transient List<FieldViolation> errors;
    private final transient Map<String, Object> extensions;

    public ProblemException(int status, String code, String detail) {
        this(status, code, detail, List.of(), Map.of());
    }

    public ProblemException(int status, String code, String detail, List<FieldViolation> errors,
            Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.errors = List.copyOf(errors);
        this.extensions = new LinkedHashMap<>(extensions);
    }

    /** 400: the named field is malformed. */
    public static ProblemException badRequest(String field, String message) {
        return new ProblemException(400, "invalid_request", field + ": " + message,
                List.of(new FieldViolation(field, message)), Map.of());
    }

    /** 422: well-formed, but the named field breaks a rule. */
    public static ProblemException unprocessable(String code, String field, String message) {
        return new ProblemException(422, code, message, List.of(new FieldViolation(field, message)), Map.of());
    }

    public static ProblemException notFound(String what, String id) {
        return new ProblemException(404, "not_found", what + " '" + id + "' does not exist");
    }

    public static ProblemException conflict(String code, String detail) {
        return new ProblemException(409, code, detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", detail);
    }

    public static ProblemException unavailable(String code, String detail) {
        return new ProblemException(503, code, detail);
    }

    /** Returns a copy with one more problem member (e.g. {@code holder}, {@code expiresInMs}). */
    public ProblemException with(String member, Object value) {
        Map<String, Object> ext = new LinkedHashMap<>(extensions);
        ext.put(member, value);
        return new ProblemException(status, code, getMessage(), errors, ext);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldViolation> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
