package io.trustplane.lease.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.trustplane.common.problem.ProblemMappers;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Routes Jackson's InvalidFormat/MismatchedInput exceptions (an unknown phase, a string where a number belongs)
 * to common's problem+json mapping. Quarkus REST ships a more specific built-in mapper for these that answers
 * plain JSON and wins over common's {@code JsonProcessingException} mapper, and a body that is not JSON at all
 * arrives as a bare 400 without the field; this bridge belongs in common.
 */
public class JsonProblemBridge {

    private final ProblemMappers problems;

    public JsonProblemBridge(ObjectMapper mapper) {
        this.problems = new ProblemMappers(mapper);
    }

    @ServerExceptionMapper(priority = 1)
    public Response invalidFormat(InvalidFormatException e, UriInfo uri) {
        return problems.json(e, uri);
    }

    /** Quarkus REST wraps unparsable bodies in a bare 400; unwrap so the answer names the body. */
    @ServerExceptionMapper(priority = 1)
    public Response web(WebApplicationException e, UriInfo uri) {
        return e.getCause() instanceof JsonProcessingException jpe ? problems.json(jpe, uri) : problems.web(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return problems.json(e, uri);
    }
}
