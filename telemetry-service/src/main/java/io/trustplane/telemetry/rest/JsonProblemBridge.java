package io.trustplane.telemetry.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.trustplane.common.problem.ProblemMappers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Routes Jackson's InvalidFormat/MismatchedInput exceptions (e.g. an unknown enum value) to common's problem+json
 * mapping. Quarkus REST ships a more specific built-in mapper for these that answers plain JSON and wins over
 * common's {@code JsonProcessingException} mapper; this local bridge belongs in common (reported upstream).
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

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e, UriInfo uri) {
        return problems.json(e, uri);
    }
}
