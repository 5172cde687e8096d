package io.trustplane.common.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;

import java.util.List;
import java.util.Map;

/**
 * Refuses a request whose {@code Content-Type} is not a media type at all (for example {@code ;;;/=}) with a 415
 * problem+json naming the header. Quarkus REST would otherwise fail while choosing between two methods of one path
 * (such as JSON and NDJSON ingest) and answer 500.
 */
@ApplicationScoped
public class MediaTypeGuard {

    private final ProblemMappers problems;

    public MediaTypeGuard(ObjectMapper mapper) {
        this.problems = new ProblemMappers(mapper);
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            String type = ctx.request().getHeader("Content-Type");
            if (type == null || parses(type)) {
                ctx.next();
                return;
            }
            String message = "is not a media type";
            Problem problem = new Problem(Problem.typeFor("unsupported_media_type"), ProblemMappers.titleFor(415), 415,
                    "unsupported_media_type", "Content-Type: " + message, ctx.normalizedPath(),
                    List.of(new FieldViolation("Content-Type", message)), Map.of());
            ctx.response().setStatusCode(415).putHeader("Content-Type", Problem.MEDIA_TYPE).end(problems.toJson(problem));
        });
    }

    static boolean parses(String type) {
        try {
            MediaType.valueOf(type);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
