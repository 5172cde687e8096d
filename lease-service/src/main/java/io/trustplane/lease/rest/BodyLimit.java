package io.trustplane.lease.rest;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared Content-Length exceeds {@code quarkus.http.limits.max-body-size} with a
 * problem+json 413 naming the body, before it is read. (Vert.x would answer an empty 413 itself; a chunked
 * oversize body still gets that answer.) Belongs in common with the other problem mappings.
 */
@ApplicationScoped
public class BodyLimit {

    private final long maxBytes;

    public BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > maxBytes) {
                String message = "must be at most " + maxBytes + " bytes";
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/problem+json")
                        .putHeader("Connection", "close")
                        .end("{\"type\":\"urn:trustplane:problem:payload_too_large\",\"title\":\"Payload Too Large\","
                                + "\"status\":413,\"code\":\"payload_too_large\",\"detail\":\"body: " + message
                                + "\",\"instance\":\"" + ctx.normalizedPath().replace("\"", "") + "\",\"errors\":[{\"field\":"
                                + "\"body\",\"message\":\"" + message + "\"}]}");
                return;
            }
            ctx.next();
        });
    }
}
