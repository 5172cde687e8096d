package io.trustplane.common.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;

/**
 * Refuses a request whose declared Content-Length exceeds {@code quarkus.http.limits.max-body-size} with a
 * 413 problem+json naming the body, before reading it. Without this Vert.x answers an empty 413; a chunked
 * oversize body still gets that answer, since its size is only known while it is being read.
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;
    private final ProblemMappers problems;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            ObjectMapper mapper) {
        this.maxBytes = maxBodySize.asLongValue();
        this.problems = new ProblemMappers(mapper);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            if (declaredLength(ctx.request().getHeader("Content-Length")) <= maxBytes) {
                ctx.next();
                return;
            }
            String message = "must be at most " + maxBytes + " bytes";
            Problem problem = new Problem(Problem.typeFor("payload_too_large"), ProblemMappers.titleFor(413), 413,
                    "payload_too_large", "body: " + message, ctx.normalizedPath(),
                    List.of(new FieldViolation("body", message)), Map.of());
            ctx.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close").end(problems.toJson(problem));
        });
    }

    static long declaredLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
