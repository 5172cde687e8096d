package io.trustplane.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An error answer of a Trustplane service ({@code application/problem+json}, RFC 9457) as an exception: the HTTP
 * status, the stable {@code code} (e.g. {@code lease_held}, {@code evidence_gate_failed}), the rejected fields and
 * the problem's extra members ({@code holder}, {@code expiresInMs}, {@code missing}, ...). The subclasses name the
 * kinds of refusal a caller usually handles differently.
 */
public class ProblemException extends TrustplaneException {

    private final int status;
    private final String code;
    private final String title;
    private final String detail;
    private final String instance;
    private final List<FieldError> errors;
    private final Map<String, JsonNode> extras;
    private final Duration retryAfter;

    protected ProblemException(Problem p) {
        super(p.status() + " " + p.code() + (p.detail() == null ? "" : ": " + p.detail()));
        this.status = p.status();
        this.code = p.code();
        this.title = p.title();
        this.detail = p.detail();
        this.instance = p.instance();
        this.errors = p.errors();
        this.extras = p.extras();
        this.retryAfter = p.retryAfter();
    }

    /** The parsed parts of a problem answer. */
    record Problem(int status, String code, String title, String detail, String instance, List<FieldError> errors,
            Map<String, JsonNode> extras, Duration retryAfter) {
    }

    /** The exception type that fits the status. */
    static ProblemException of(Problem p) {
        return switch (p.status()) {
            case 400, 422 -> new InvalidRequestException(p);
            case 401, 403 -> new AccessDeniedException(p);
            case 404 -> new NotFoundException(p);
            case 409 -> new ConflictException(p);
            case 429, 503 -> new UnavailableException(p);
            default -> new ProblemException(p);
        };
    }

    public int status() {
        return status;
    }

    /** The stable machine-readable code, e.g. {@code lease_held}; {@code http_<status>} when the answer had none. */
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public String instance() {
        return instance;
    }

    /** The rejected fields, empty when the refusal is not about one field. */
    public List<FieldError> errors() {
        return errors;
    }

    /** Every member of the problem beyond the RFC 9457 ones and {@code code}/{@code errors}. */
    public Map<String, JsonNode> extras() {
        return extras;
    }

    /** One extra member, e.g. {@code extra("holder")}. */
    public Optional<JsonNode> extra(String name) {
        return Optional.ofNullable(extras.get(name));
    }

    /** When the server said to come back ({@code Retry-After}), if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The agent holding what the caller asked for (lease conflicts). */
    public Optional<String> holder() {
        return extra("holder").map(JsonNode::asText);
    }

    /** How long until the conflicting lease expires, in milliseconds (lease conflicts). */
    public Optional<Long> expiresInMs() {
        return extra("expiresInMs").filter(JsonNode::canConvertToLong).map(JsonNode::asLong);
    }

    /** The evidence kinds a transition lacked ({@code evidence_gate_failed}). */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        extra("missing").ifPresent(n -> {
            if (n.isArray()) {
                n.forEach(e -> out.add(e.asText()));
            } else {
                out.add(n.asText());
            }
        });
        return List.copyOf(out);
    }
}
