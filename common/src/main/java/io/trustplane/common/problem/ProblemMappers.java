package io.trustplane.common.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.trustplane.common.json.CollectionLimits;
import io.trustplane.common.json.StrictJson;
import io.vertx.pgclient.PgException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.ValidationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The one place where exceptions become HTTP answers: every error leaves a service as
 * {@code application/problem+json} naming the offending field, and never with a stack trace.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    private final ObjectMapper mapper;

    public ProblemMappers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response base = respond(new Problem(Problem.typeFor(e.code()), titleFor(e.status()), e.status(), e.code(),
                e.getMessage(), path(uri), e.errors(), e.extensions()));
        if (e.status() != 503) {
            return base;
        }
        // every 503 tells the client when to retry, as the unreachable-dependency answer below does
        Object after = e.extensions().get("retryAfterSeconds");
        return Response.fromResponse(base).header(HttpHeaders.RETRY_AFTER, after == null ? "1" : after.toString())
                .build();
    }

    @ServerExceptionMapper(priority = 1)
    public Response validation(ValidationException e, UriInfo uri) {
        if (!(e instanceof ConstraintViolationException cve)) {
            return internal(e, uri);
        }
        List<FieldViolation> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : cve.getConstraintViolations()) {
            if (isReturnValue(v.getPropertyPath())) {
                return internal(e, uri);
            }
            errors.add(new FieldViolation(fieldOf(v.getPropertyPath()), v.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldViolation::field));
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return respond(new Problem(Problem.typeFor("invalid_request"), titleFor(400), 400, "invalid_request",
                detail, path(uri), errors, Map.of()));
    }

    // Quarkus REST ships its own mappers for these two exact types; naming them here (at a higher priority)
    // is what makes ours win, so a wrong type or unknown enum value is problem+json naming the field.
    @ServerExceptionMapper(priority = 1)
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = "body";
        String message;
        if (e instanceof CollectionLimits.TooManyItemsException tooMany) {
            field = jsonPath(tooMany);
            message = "must have at most " + tooMany.max() + " items";
        } else if (e instanceof InvalidFormatException ife && ife.getValue() instanceof String text
                && text.indexOf('\u0000') >= 0) {
            field = jsonPath(ife);
            message = StrictJson.NUL_MESSAGE;
        } else if (e instanceof InvalidFormatException ife) {
            field = jsonPath(ife);
            message = ife.getTargetType() != null && ife.getTargetType().isEnum()
                    ? "must be one of " + java.util.Arrays.toString(ife.getTargetType().getEnumConstants())
                    : "has the wrong type or format";
        } else if (e instanceof MismatchedInputException mie) {
            field = mie.getPath().isEmpty() ? "body" : jsonPath(mie);
            message = mie.getTargetType() == null ? "has the wrong type"
                    : "must be " + describe(mie.getTargetType());
        } else if (StrictJson.duplicateKey(e) != null) {
            field = StrictJson.duplicateKey(e);
            message = StrictJson.DUPLICATE_MESSAGE;
        } else if (e instanceof JsonParseException) {
            message = "is not valid JSON";
        } else if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            field = jsonPath(jme);
            message = "is invalid";
        } else {
            message = "could not be read as JSON";
        }
        return respond(new Problem(Problem.typeFor("invalid_request"), titleFor(400), 400, "invalid_request",
                field + ": " + message, path(uri), List.of(new FieldViolation(field, message)), Map.of()));
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(new Problem(Problem.typeFor("forbidden"), titleFor(403), 403, "forbidden",
                "the caller's roles do not allow this operation", path(uri), List.of(), Map.of()));
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalidParameter(QueryParameters.InvalidParameterException e, UriInfo uri) {
        return respond(new Problem(Problem.typeFor("invalid_request"), titleFor(400), 400, "invalid_request",
                e.getMessage(), path(uri), List.of(new FieldViolation(e.parameter(), e.reason())), Map.of()));
    }

    @ServerExceptionMapper(priority = 1)
    public Response web(WebApplicationException e, UriInfo uri) {
        if (e instanceof QueryParameters.InvalidParameterException invalid) {
            return invalidParameter(invalid, uri);
        }
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return json(jpe, uri); // Quarkus REST wraps an unparsable body in a bare 400
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            return internal(e, uri);
        }
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> "invalid_request";
        };
        if (status == 415) {
            return unsupportedMediaType(uri);
        }
        String detail = e.getMessage() == null || e.getMessage().startsWith("HTTP ")
                ? titleFor(status) : e.getMessage();
        return respond(new Problem(Problem.typeFor(code), titleFor(status), status, code, detail, path(uri),
                List.of(), Map.of()));
    }

    /** Routes that accept more than JSON name their types in config: {@code trustplane.http.media-types./v1/events}. */
    static final String MEDIA_TYPES_PREFIX = "trustplane.http.media-types.";

    /**
     * A 415 that says what to send instead: Quarkus REST's own words ("did not match the value in @Consumes") name
     * an annotation, not a media type. Every route takes {@code application/json}; a path configured under
     * {@value #MEDIA_TYPES_PREFIX} lists its own.
     */
    private Response unsupportedMediaType(UriInfo uri) {
        String path = path(uri);
        String accepted = "application/json";
        try {
            accepted = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                    .getOptionalValue(MEDIA_TYPES_PREFIX + path, String.class).orElse(accepted);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // no config (a unit test): JSON is what every route takes
        }
        String message = "must be " + accepted.replace(",", " or").replaceAll("\\s+", " ");
        return respond(new Problem(Problem.typeFor("unsupported_media_type"), titleFor(415), 415,
                "unsupported_media_type", "Content-Type " + message, path,
                List.of(new FieldViolation("Content-Type", message)), Map.of("accepted",
                        java.util.Arrays.stream(accepted.split(",")).map(String::strip).toList())));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String dataError = dataExceptionState(e);
        if (dataError != null) {
            // SQLSTATE class 22: PostgreSQL refused a value the request carried (a NUL character, a number out of
            // range); bad input, answered without the database's own words
            LOG.debugf("data exception %s on %s", dataError, path(uri));
            String message = "holds a value that cannot be stored (for example a NUL character)";
            return respond(new Problem(Problem.typeFor("invalid_request"), titleFor(400), 400, "invalid_request",
                    "body: " + message, path(uri), List.of(new FieldViolation("body", message)), Map.of()));
        }
        if (isUnavailableDependency(e)) {
            LOG.warnf("dependency unavailable on %s: %s", path(uri), e.toString());
            Response base = respond(new Problem(Problem.typeFor("dependency_unavailable"), titleFor(503), 503,
                    "dependency_unavailable", "a storage dependency is unavailable; retry shortly", path(uri),
                    List.of(), Map.of()));
            return Response.fromResponse(base).header(HttpHeaders.RETRY_AFTER, "1").build();
        }
        return internal(e, uri);
    }

    private Response internal(Throwable e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure on %s", path(uri));
        return respond(new Problem(Problem.typeFor("internal_error"), titleFor(500), 500, "internal_error",
                "the server could not complete the request", path(uri), List.of(), Map.of()));
    }

    private Response unauthenticated(UriInfo uri) {
        Response base = respond(new Problem(Problem.typeFor("unauthenticated"), titleFor(401), 401,
                "unauthenticated", "a valid bearer token is required", path(uri), List.of(), Map.of()));
        return Response.fromResponse(base).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"trustplane\"")
                .build();
    }

    /** The problem document as JSON text, for answers written below JAX-RS (see {@link BodyLimit}). */
    String toJson(Problem problem) {
        try {
            return mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            return "{\"status\":" + problem.status() + ",\"title\":\"" + problem.title() + "\"}";
        }
    }

    private Response respond(Problem problem) {
        String body;
        try {
            body = mapper.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + problem.status() + ",\"title\":\"" + problem.title() + "\"}";
        }
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    /** The SQLSTATE when the cause chain holds a PostgreSQL data exception (class 22), else null. */
    static String dataExceptionState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg && pg.getSqlState() != null && pg.getSqlState().startsWith("22")) {
                return pg.getSqlState();
            }
        }
        return null;
    }

    /** True when the cause chain shows PostgreSQL, Redis or a guarded call out of reach, not a bug. */
    static boolean isUnavailableDependency(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof SocketException || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || (t instanceof PgException pg && isUnavailableState(pg.getSqlState()))
                    || name.equals("io.vertx.sqlclient.ClosedConnectionException")
                    || name.equals("io.vertx.core.http.ConnectionPoolTooBusyException")
                    || name.equals("io.netty.channel.ConnectTimeoutException")
                    || name.startsWith("org.eclipse.microprofile.faulttolerance.exceptions.")
                    || name.equals("java.sql.SQLTransientConnectionException")
                    || (t.getMessage() != null && UNAVAILABLE_MESSAGES.stream().anyMatch(t.getMessage()::contains))) {
                return true;
            }
        }
        return false;
    }

    /**
     * SQLSTATEs that say PostgreSQL is out of reach for now rather than that the request or the code is wrong:
     * class 08 (connection exception), 53 (insufficient resources, such as too many connections) and 57P01–57P03
     * (shutting down, crashed, not yet accepting connections).
     */
    static boolean isUnavailableState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("53")
                || sqlState.equals("57P01") || sqlState.equals("57P02") || sqlState.equals("57P03"));
    }

    /**
     * What a dependency going away says, for exceptions that carry no better mark than their message: a write to
     * a socket the server already closed ({@code Broken pipe}, an {@link java.io.IOException} only), a query on a
     * pooled connection the server closed (the Vert.x client's wording), and PostgreSQL's own notices while it
     * stops or starts when they arrive without a SQLSTATE.
     */
    private static final List<String> UNAVAILABLE_MESSAGES = List.of("Connection refused", "Connection is closed",
            "Timeout waiting for connection", "Connection is not active now", "Connection reset", "Broken pipe",
            "terminating connection due to administrator command", "the database system is shutting down",
            "the database system is starting up");

    /** {@code evaluate.request.context.action} becomes {@code context.action}; a query parameter keeps its name. */
    static String fieldOf(Path path) {
        StringBuilder props = new StringBuilder();
        String parameter = null;
        for (Path.Node node : path) {
            ElementKind kind = node.getKind();
            if (kind == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (kind != ElementKind.PROPERTY && kind != ElementKind.CONTAINER_ELEMENT && kind != ElementKind.BEAN) {
                continue;
            }
            if (node.getIndex() != null) {
                props.append('[').append(node.getIndex()).append(']');
            } else if (node.getKey() != null) {
                props.append('[').append(node.getKey()).append(']');
            }
            if (kind == ElementKind.PROPERTY && node.getName() != null) {
                if (props.length() > 0 && props.charAt(props.length() - 1) != '.') {
                    props.append('.');
                }
                props.append(node.getName());
            }
        }
        if (props.length() > 0) {
            return props.charAt(0) == '.' ? props.substring(1) : props.toString();
        }
        return parameter == null ? "body" : parameter;
    }

    private static boolean isReturnValue(Path path) {
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.RETURN_VALUE) {
                return true;
            }
        }
        return false;
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "body" : sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == String.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    static String titleFor(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 413 -> "Payload Too Large";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
    }
}
