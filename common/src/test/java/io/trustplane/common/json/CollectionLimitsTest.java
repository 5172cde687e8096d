package io.trustplane.common.json;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Over-long collections are refused while they are read, naming the property, before Bean Validation runs. */
class CollectionLimitsTest {

    record Inner(@Size(max = 2) Map<String, Object> tags) {
    }

    record Body(@Size(max = 3) List<@NotBlank String> items, List<String> free, @Size(max = 1) List<Inner> inner,
            @Size(max = 2) String[] array) {
    }

    private final ObjectMapper mapper = new ObjectMapper();

    CollectionLimitsTest() {
        new CollectionLimits().customize(mapper);
    }

    @Test
    void collectionsWithinTheirSizeAreReadAsUsual() throws Exception {
        Body b = mapper.readValue("{\"items\":[\"a\",null,\"c\"],\"free\":[" + "\"x\",".repeat(999) + "\"x\"],"
                + "\"inner\":[{\"tags\":{\"k\":1,\"l\":2}}],\"array\":[\"a\",\"b\"]}", Body.class);
        assertThat(b.items()).hasSize(3);
        assertThat(b.free()).hasSize(1000);
        assertThat(b.inner().get(0).tags()).hasSize(2);
        assertThat(b.array()).hasSize(2);
    }

    @Test
    void anOverLongCollectionFailsWithItsPathAndLimit() {
        assertThatThrownBy(() -> mapper.readValue("{\"items\":[" + "null,".repeat(9999) + "null]}", Body.class))
                .isInstanceOf(CollectionLimits.TooManyItemsException.class)
                .satisfies(e -> assertThat(((JsonMappingException) e).getPathReference()).contains("items"))
                .satisfies(e -> assertThat(((CollectionLimits.TooManyItemsException) e).max()).isEqualTo(3));
        assertThatThrownBy(() -> mapper.readValue("{\"inner\":[{\"tags\":{\"a\":1,\"b\":2,\"c\":3}}]}", Body.class))
                .isInstanceOf(CollectionLimits.TooManyItemsException.class)
                .satisfies(e -> assertThat(((JsonMappingException) e).getPathReference()).contains("tags"));
        assertThatThrownBy(() -> mapper.readValue("{\"array\":[\"a\",\"b\",\"c\"]}", Body.class))
                .isInstanceOf(CollectionLimits.TooManyItemsException.class);
    }
}
