package io.trustplane.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.ArrayType;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.type.MapType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import jakarta.validation.constraints.Size;

import java.io.IOException;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;

/**
 * Refuses a JSON array or object bound to a property annotated {@code @Size(max = n)} as soon as it is read with
 * more than n entries, before Bean Validation sees it. Hibernate Validator's cost grows with the square of the
 * number of violating elements (each violation hashes its path, which holds the whole collection): 8 000 nulls in
 * a list of {@code @NotBlank} strings blocked an event loop for seconds, a 1 MiB body of them for hours.
 */
@Singleton
public class CollectionLimits implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        SimpleModule module = new SimpleModule("trustplane-collection-limits");
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
                    BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
                return new Limited(deserializer, Integer.MAX_VALUE);
            }

            @Override
            public JsonDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
                    BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
                return new Limited(deserializer, Integer.MAX_VALUE);
            }

            @Override
            public JsonDeserializer<?> modifyArrayDeserializer(DeserializationConfig config, ArrayType valueType,
                    BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
                return new Limited(deserializer, Integer.MAX_VALUE);
            }
        });
        mapper.registerModule(module);
    }

    /** Thrown for an over-long collection; {@code ProblemMappers} names the field and the limit. */
    public static final class TooManyItemsException extends JsonMappingException {

        private final int max;

        TooManyItemsException(JsonParser p, int max) {
            super(p, "must have at most " + max + " items");
            this.max = max;
        }

        public int max() {
            return max;
        }
    }

    /** The usual deserializer, then a size check against the property's {@code @Size(max)}. */
    static final class Limited extends DelegatingDeserializer {

        private final int max;

        Limited(JsonDeserializer<?> delegate, int max) {
            super(delegate);
            this.max = max;
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new Limited(newDelegatee, max);
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws JsonMappingException {
            Limited contextual = (Limited) super.createContextual(ctxt, property);
            Size size = property == null ? null : property.getAnnotation(Size.class);
            int limit = size == null ? Integer.MAX_VALUE : size.max();
            return limit == contextual.max ? contextual : new Limited(contextual._delegatee, limit);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return check(p, super.deserialize(p, ctxt));
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt, Object intoValue) throws IOException {
            return check(p, super.deserialize(p, ctxt, intoValue));
        }

        private Object check(JsonParser p, Object value) throws TooManyItemsException {
            if (max != Integer.MAX_VALUE && size(value) > max) {
                throw new TooManyItemsException(p, max);
            }
            return value;
        }

        private static int size(Object value) {
            if (value instanceof Collection<?> c) {
                return c.size();
            }
            if (value instanceof Map<?, ?> m) {
                return m.size();
            }
            return value != null && value.getClass().isArray() ? Array.getLength(value) : 0;
        }
    }
}
