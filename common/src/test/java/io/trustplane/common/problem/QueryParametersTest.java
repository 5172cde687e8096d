package io.trustplane.common.problem;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ParamConverter;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Numeric query parameters: numbers read as before, anything else is a 400 naming the parameter. */
class QueryParametersTest {

    @SuppressWarnings("unused")
    void endpoint(@QueryParam("limit") @DefaultValue("20") int limit, @QueryParam("from") Long from,
            @QueryParam("name") String name) {
    }

    private static Annotation[] annotationsOf(int index) throws NoSuchMethodException {
        return QueryParametersTest.class.getDeclaredMethod("endpoint", int.class, Long.class, String.class)
                .getParameterAnnotations()[index];
    }

    @Test
    void numbersReadAsBeforeAndGarbageNamesItsParameter() throws Exception {
        QueryParameters provider = new QueryParameters();
        ParamConverter<Integer> limit = provider.getConverter(int.class, int.class, annotationsOf(0));
        ParamConverter<Long> from = provider.getConverter(Long.class, Long.class, annotationsOf(1));
        assertThat(provider.getConverter(String.class, String.class, annotationsOf(2))).isNull();
        assertThat(limit.fromString("20")).isEqualTo(20);
        assertThat(limit.fromString("-3")).isEqualTo(-3); // range is Bean Validation's job (@Min/@Max)
        assertThat(from.fromString("9223372036854775807")).isEqualTo(Long.MAX_VALUE);

        for (String bad : new String[] {"abc", "2^63", "1.5", "", " 1", "1e3", "2147483648"}) {
            assertThatThrownBy(() -> limit.fromString(bad)).as(bad)
                    .isInstanceOfSatisfying(QueryParameters.InvalidParameterException.class,
                            e -> assertThat(e.parameter()).isEqualTo("limit"));
        }
        assertThatThrownBy(() -> from.fromString("9223372036854775808"))
                .isInstanceOfSatisfying(QueryParameters.InvalidParameterException.class,
                        e -> assertThat(e.parameter()).isEqualTo("from"));
    }

    @Test
    void theRefusalIsProblemJsonNamingTheParameter() throws Exception {
        ProblemMappers mappers = new ProblemMappers(new ObjectMapper());
        QueryParameters provider = new QueryParameters();
        ParamConverter<Integer> limit = provider.getConverter(int.class, int.class, annotationsOf(0));
        QueryParameters.InvalidParameterException e = null;
        try {
            limit.fromString("abc");
        } catch (QueryParameters.InvalidParameterException thrown) {
            e = thrown;
        }
        assertThat(e).isNotNull();
        Response r = mappers.web(e, null);
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getMediaType().toString()).isEqualTo("application/problem+json");
        assertThat(r.getEntity().toString()).contains("\"field\":\"limit\"").contains("\"code\":\"invalid_request\"");
    }
}
