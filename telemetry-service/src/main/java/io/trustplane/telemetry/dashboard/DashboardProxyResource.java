package io.trustplane.telemetry.dashboard;

import io.smallrye.mutiny.Uni;
import io.trustplane.common.problem.FieldViolation;
import io.trustplane.common.problem.ProblemException;
import io.trustplane.common.security.Roles;
import io.trustplane.telemetry.config.ServicesConfig;
import io.trustplane.telemetry.dashboard.ProxyRoutes.Route;
import io.trustplane.telemetry.dashboard.ProxyRoutes.Service;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code GET|POST /v1/dashboard/proxy/{service}/{path}}: lets the dashboard (served by this service) read lease,
 * provenance and gate-service without CORS. Only operators and admins, only the routes in {@link ProxyRoutes},
 * only their listed query parameters, and only to the configured {@code trustplane.services.*} URLs. The caller's
 * own bearer token goes on (so each service still applies its own rules); no cookie or other header does.
 */
@Tag(name = "dashboard",
        description = "What the operator dashboard reads: time series, rollouts, and a narrow proxy to the other "
                + "services.")
// both methods answer what the proxied route answered, or refuse alike
@APIResponse(responseCode = "200", description = "What the proxied route answered",
        content = @Content(mediaType = "application/json", schema = @Schema(type = SchemaType.OBJECT)))
@APIResponse(responseCode = "403",
        description = "`forbidden`: the caller is not an operator or admin; `proxy_path_refused`: the route is "
                + "not among those the dashboard may reach")
@APIResponse(responseCode = "404",
        description = "`not_found`: no such service, or what the proxied route answered")
@APIResponse(responseCode = "503",
        description = "`dependency_unavailable`: the proxied service is unreachable; `Retry-After` says when to "
                + "retry")
@Path("/v1/dashboard/proxy/{service}/{path: .+}")
public class DashboardProxyResource {

    private static final Logger LOG = Logger.getLogger(DashboardProxyResource.class);

    private final ServicesConfig services;
    private final UpstreamClient upstream;

    public DashboardProxyResource(ServicesConfig services, UpstreamClient upstream) {
        this.services = services;
        this.upstream = upstream;
    }

    @Operation(summary = "Read another service through the dashboard proxy",
            description = "Forwards a GET to one of the listed lease, provenance or gate routes with the caller's "
                    + "token and answers what that route answered (its statuses and problems included), so the "
                    + "dashboard needs no CORS.")
    @GET
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> get(@PathParam("service") String service, @PathParam("path") String path, UriInfo uri,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        return forward("GET", service, path, uri, authorization, accept, null, null);
    }

    @Operation(summary = "Write to another service through the dashboard proxy",
            description = "Forwards a POST to one of the listed routes (e.g. an operator decision on an escalation) "
                    + "with the caller's token and Idempotency-Key, and answers what that route answered.")
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OPERATOR, Roles.ADMIN})
    public Uni<Response> post(@PathParam("service") String service, @PathParam("path") String path, UriInfo uri,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @HeaderParam("Idempotency-Key") String idempotencyKey, byte[] body) {
        return forward("POST", service, path, uri, authorization, accept, idempotencyKey,
                body == null || body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
    }

    private Uni<Response> forward(String method, String serviceName, String path, UriInfo uri, String authorization,
            String accept, String idempotencyKey, byte[] body) {
        Service service = Service.byShortName(serviceName)
                .orElseThrow(() -> ProblemException.notFound("proxied service", serviceName));
        Route route = ProxyRoutes.find(service, method, path).orElseThrow(() -> new ProblemException(403,
                "proxy_path_refused", method + " /" + path + " on " + serviceName
                        + "-service is not among the routes the dashboard may reach",
                List.of(new FieldViolation("path", "not an allowed " + serviceName + "-service route")), Map.of()));
        URI target = URI.create(base(service) + "/" + path + query(route, uri.getQueryParameters()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(HttpHeaders.AUTHORIZATION, authorization);
        headers.put(HttpHeaders.ACCEPT, accept == null || accept.isBlank() ? "*/*" : accept);
        if (body != null) {
            headers.put(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
        }
        if (idempotencyKey != null && !idempotencyKey.isBlank()) {
            headers.put("Idempotency-Key", idempotencyKey);
        }
        return upstream.send(target, method, headers, body)
                .map(answer -> {
                    Response.ResponseBuilder out = Response.status(answer.status()).entity(answer.body())
                            .header("Cache-Control", "no-store");
                    answer.headers().forEach((name, value) -> {
                        if (HttpHeaders.CONTENT_TYPE.equals(name)) {
                            out.type(value);
                        } else {
                            out.header(name, value);
                        }
                    });
                    return out.build();
                })
                .onFailure(f -> !(f instanceof ProblemException)).transform(f -> {
                    LOG.warnf("dashboard proxy: %s %s on %s-service failed: %s", method, route.path().pattern(),
                            serviceName, f.toString());
                    return ProblemException.unavailable("dependency_unavailable",
                            serviceName + "-service did not answer; try again shortly");
                });
    }

    private String base(Service service) {
        String url = switch (service) {
            case LEASE -> services.lease();
            case PROVENANCE -> services.provenance();
            case GATE -> services.gate();
        };
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Re-encodes the allowed parameters (sorted by name); any other parameter is a 400 naming it. */
    private static String query(Route route, MultivaluedMap<String, String> params) {
        StringJoiner out = new StringJoiner("&", "?", "").setEmptyValue("");
        for (Map.Entry<String, List<String>> p : new java.util.TreeMap<>(params).entrySet()) {
            if (!route.query().contains(p.getKey())) {
                throw ProblemException.badRequest(p.getKey(), "is not passed on by the dashboard proxy for this route"
                        + (route.query().isEmpty() ? "" : "; allowed: " + route.query().stream().sorted().toList()));
            }
            for (String v : p.getValue()) {
                out.add(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }
}
