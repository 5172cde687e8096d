package io.trustplane.common.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Trailing garbage, fractions for integers and NUL characters are refused; ordinary JSON reads as before. */
class StrictJsonTest {

    record Body(Integer count, String name, List<String> tags) {
    }

    private final ObjectMapper mapper = new ObjectMapper();

    StrictJsonTest() {
        new StrictJson().customize(mapper);
    }

    @Test
    void ordinaryDocumentsRead() throws Exception {
        Body b = mapper.readValue(" {\"count\":2,\"name\":\"a\\tb\",\"tags\":[\"x\"]}\n ", Body.class);
        assertThat(b).isEqualTo(new Body(2, "a\tb", List.of("x")));
    }

    @Test
    void trailingTokensFractionsAndNulAreRefused() {
        assertThatThrownBy(() -> mapper.readValue("{\"count\":2}}]]garbage", Body.class))
                .isInstanceOf(com.fasterxml.jackson.core.JsonProcessingException.class);
        assertThatThrownBy(() -> mapper.readValue("{\"count\":2} {\"count\":3}", Body.class))
                .isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> mapper.readValue("{\"count\":1.5}", Body.class))
                .isInstanceOf(MismatchedInputException.class);
        assertThatThrownBy(() -> mapper.readValue("{\"name\":\"a\\u0000b\"}", Body.class))
                .isInstanceOf(InvalidFormatException.class).hasMessageContaining(StrictJson.NUL_MESSAGE);
        assertThatThrownBy(() -> mapper.readValue("{\"tags\":[\"ok\",\"\\u0000\"]}", Body.class))
                .isInstanceOf(InvalidFormatException.class);
    }

    record Outer(Body inner, List<Body> items) {
    }

    @Test
    void aKeyNamedTwiceIsRefusedAndNamedWithItsPath() throws Exception {
        // issue 18.7: {"k":1,"k":2} was stored as 2
        assertThatThrownBy(() -> mapper.readValue("{\"count\":1,\"count\":2}", Body.class))
                .isInstanceOfSatisfying(com.fasterxml.jackson.core.JsonProcessingException.class,
                        e -> assertThat(StrictJson.duplicateKey(e)).isEqualTo("count"));
        assertThatThrownBy(() -> mapper.readValue("{\"inner\":{\"name\":\"a\",\"name\":\"b\"}}", Outer.class))
                .isInstanceOfSatisfying(com.fasterxml.jackson.core.JsonProcessingException.class,
                        e -> assertThat(StrictJson.duplicateKey(e)).isEqualTo("inner.name"));
        assertThatThrownBy(() -> mapper.readValue("{\"items\":[{},{\"tags\":[],\"tags\":[]}]}", Outer.class))
                .isInstanceOfSatisfying(com.fasterxml.jackson.core.JsonProcessingException.class,
                        e -> assertThat(StrictJson.duplicateKey(e)).isEqualTo("items[1].tags"));
        // free-form maps and trees too (metadata, attributes): Jackson would keep the last value there as well
        assertThatThrownBy(() -> mapper.readValue("{\"k\":1,\"k\":2}", java.util.Map.class))
                .isInstanceOfSatisfying(com.fasterxml.jackson.core.JsonProcessingException.class,
                        e -> assertThat(StrictJson.duplicateKey(e)).isEqualTo("k"));
        assertThatThrownBy(() -> mapper.readTree("{\"a\":{\"k\":1,\"k\":1}}"))
                .isInstanceOfSatisfying(com.fasterxml.jackson.core.JsonProcessingException.class,
                        e -> assertThat(StrictJson.duplicateKey(e)).isEqualTo("a.k"));
        // the same name in different objects is no duplicate
        assertThat(mapper.readValue("{\"items\":[{\"name\":\"a\"},{\"name\":\"b\"}]}", Outer.class).items())
                .hasSize(2);
    }
}
