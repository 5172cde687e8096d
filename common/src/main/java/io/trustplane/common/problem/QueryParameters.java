package io.trustplane.common.problem;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.function.Function;

/**
 * Reads numeric query parameters so that a value that is not a number of the declared type ({@code ?limit=abc},
 * {@code ?limit=9223372036854775808}) is a 400 naming the parameter. JAX-RS answers a query parameter it cannot
 * convert with 404, which reads as "no such route" and names nothing; a converter that throws a
 * {@link jakarta.ws.rs.WebApplicationException} itself is passed through by Quarkus REST unchanged, and
 * {@link ProblemMappers} renders it.
 */
@Provider
public class QueryParameters implements ParamConverterProvider {

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        String name = queryName(annotations);
        if (name == null) {
            return null;
        }
        if (rawType == Integer.class || rawType == int.class) {
            return (ParamConverter<T>) new Numeric<>(name, Integer::valueOf, "an integer");
        }
        if (rawType == Long.class || rawType == long.class) {
            return (ParamConverter<T>) new Numeric<>(name, Long::valueOf, "an integer");
        }
        if (rawType == Short.class || rawType == short.class) {
            return (ParamConverter<T>) new Numeric<>(name, Short::valueOf, "an integer");
        }
        if (rawType == Double.class || rawType == double.class) {
            return (ParamConverter<T>) new Numeric<>(name, Double::valueOf, "a number");
        }
        return null;
    }

    private static String queryName(Annotation[] annotations) {
        if (annotations == null) {
            return null;
        }
        for (Annotation a : annotations) {
            if (a instanceof QueryParam q) {
                return q.value();
            }
            if (a instanceof org.jboss.resteasy.reactive.RestQuery q) {
                return q.value();
            }
        }
        return null;
    }

    /** A refused query parameter: its name and why, for {@link ProblemMappers}. */
    public static final class InvalidParameterException extends BadRequestException {

        private final String parameter;
        private final String reason;

        InvalidParameterException(String parameter, String reason) {
            super(parameter + ": " + reason);
            this.parameter = parameter;
            this.reason = reason;
        }

        public String parameter() {
            return parameter;
        }

        public String reason() {
            return reason;
        }
    }

    private record Numeric<N>(String name, Function<String, N> parse, String kind) implements ParamConverter<N> {

        @Override
        public N fromString(String value) {
            if (value == null) {
                return null;
            }
            try {
                return parse.apply(value);
            } catch (NumberFormatException e) {
                throw new InvalidParameterException(name, "must be " + kind + " in range");
            }
        }

        @Override
        public String toString(N value) {
            return value == null ? null : value.toString();
        }
    }
}
