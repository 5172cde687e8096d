package io.trustplane.common.openapi;

import io.trustplane.common.problem.Problem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Documents what every {@code /v1} route can answer whatever it does, so the resources only annotate their own
 * outcomes: the {@code Problem} schema, the authentication, role, content negotiation, rate and availability
 * answers on every operation (400, 401, 403, 406, 429, 503), 404 on a route with a path parameter, 413 and 415 on a
 * route with a body, and the problem+json body on every error answer a resource documented without one.
 * Registered in each service with {@code mp.openapi.filter}.
 */
public class StandardResponses implements OASFilter {

    /** Where the problem schema lives in every document. */
    public static final String PROBLEM_REF = "#/components/schemas/Problem";

    private static final Map<String, String> EVERY_ROUTE = Map.of(
            "400", "`invalid_request`: a malformed query parameter, header (`Idempotency-Key`) or body; "
                    + "`errors[].field` names each rejected field",
            "401", "`unauthenticated`: no bearer token, or one that is expired, unsigned, wrongly signed or from "
                    + "another issuer",
            "403", "`forbidden`: the token's roles do not allow this route, or an agent names another agent",
            "406", "`not_acceptable`: the `Accept` header excludes every type this route serves",
            "429", "`rate_limited`: the caller's request budget is spent; `Retry-After` says when to retry",
            "503", "`dependency_unavailable`: PostgreSQL or Redis is unreachable; `Retry-After` says when to retry");
    private static final String NOT_FOUND = "`not_found`: nothing exists under this identifier (or the caller may "
            + "not see it)";
    private static final String TOO_LARGE = "`payload_too_large`: the body is over the service's size limit";
    private static final String MEDIA_TYPE = "`unsupported_media_type`: the body is not of a type this route reads";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Components components = api.getComponents() == null ? OASFactory.createComponents() : api.getComponents();
        components.addSchema("Problem", problemSchema());
        api.setComponents(components);
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/v1/")) {
                item.getOperations().values().forEach(op -> document(path, op));
            }
        });
    }

    private static void document(String path, Operation op) {
        APIResponses responses = op.getResponses() == null ? OASFactory.createAPIResponses() : op.getResponses();
        EVERY_ROUTE.forEach((status, description) -> addIfAbsent(responses, status, description));
        if (path.contains("{")) {
            addIfAbsent(responses, "404", NOT_FOUND);
        }
        if (op.getRequestBody() != null) {
            addIfAbsent(responses, "413", TOO_LARGE);
            addIfAbsent(responses, "415", MEDIA_TYPE);
        }
        APIResponses sorted = OASFactory.createAPIResponses();
        new TreeMap<>(responses.getAPIResponses()).forEach((status, response) -> {
            if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(problemContent());
            }
            sorted.addAPIResponse(status, response);
        });
        op.setResponses(sorted);
    }

    /** Adds the response, or names the codes of one the scanner generated with a bare reason phrase. */
    private static void addIfAbsent(APIResponses responses, String status, String description) {
        APIResponse existing = responses.getAPIResponse(status);
        if (existing == null) {
            responses.addAPIResponse(status, OASFactory.createAPIResponse().description(description));
        } else if (existing.getDescription() == null || !existing.getDescription().contains("`")) {
            existing.setDescription(description);
        }
    }

    private static Content problemContent() {
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
    }

    /** RFC 9457 with Trustplane's stable {@code code}, the rejected fields, and problem-specific members. */
    static Schema problemSchema() {
        Schema violation = object("One rejected input field")
                .addProperty("field", string("JSON path of the field, query parameter or header, e.g. `context.action`"))
                .addProperty("message", string("Why it was rejected"))
                .required(List.of("field", "message"));
        return object("An RFC 9457 problem document, the body of every error answer (`application/problem+json`). "
                + "Problem-specific members (e.g. a lease conflict's `holder` and `expiresInMs`, an evidence gate's "
                + "`missing`) sit next to the standard ones.")
                .addProperty("type", string("`urn:trustplane:problem:<code>`"))
                .addProperty("title", string("The HTTP reason phrase"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                        .description("The HTTP status"))
                .addProperty("code", string("Stable machine-readable slug, e.g. `lease_held`; each route documents "
                        + "the codes of each of its error statuses"))
                .addProperty("detail", string("What went wrong, for a human"))
                .addProperty("instance", string("The request path"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(violation)
                        .description("Each rejected field, when the input was at fault"))
                .required(List.of("type", "title", "status", "code"))
                .additionalPropertiesBoolean(Boolean.TRUE);
    }

    private static Schema object(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).description(description);
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}
