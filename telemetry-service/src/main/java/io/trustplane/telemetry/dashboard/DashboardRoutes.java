package io.trustplane.telemetry.dashboard;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The static dashboard under {@code /dashboard/} (files in META-INF/resources/dashboard, no token needed to load
 * them; every figure they show comes from token-protected APIs): {@code /dashboard} redirects there, and every
 * dashboard response carries a strict Content-Security-Policy (same origin only, no inline script or style,
 * no framing) and headers that keep the page out of caches, referrers and other sites' frames.
 */
@ApplicationScoped
public class DashboardRoutes {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
            + "form-action 'self'; frame-ancestors 'none'";

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(rc -> {
            String path = rc.normalizedPath();
            if ("/dashboard".equals(path)) {
                rc.redirect("/dashboard/");
                return;
            }
            if (path.startsWith("/dashboard/")) {
                rc.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                        .putHeader("X-Content-Type-Options", "nosniff")
                        .putHeader("X-Frame-Options", "DENY")
                        .putHeader("Referrer-Policy", "no-referrer")
                        .putHeader("Cache-Control", "no-cache");
            }
            rc.next();
        });
    }
}
