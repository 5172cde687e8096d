package io.trustplane.common.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;

/**
 * Reads request bodies as exactly what they say: a document followed by anything but whitespace is refused (Jackson
 * would otherwise read the first value and ignore {@code }]]garbage}), a fraction is not an integer (Jackson would
 * otherwise take 1.5 as 1), and no string may hold a NUL character, which PostgreSQL cannot store in text or jsonb.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** The message {@code ProblemMappers} gives for a string with a NUL character. */
    public static final String NUL_MESSAGE = "must not contain NUL characters";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.registerModule(new SimpleModule("trustplane-strict-json").addDeserializer(String.class, new NulFree()));
    }

    /** Jackson's string deserializer, refusing U+0000. */
    static final class NulFree extends StringDeserializer {

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = super.deserialize(p, ctxt);
            if (s != null && s.indexOf('\u0000') >= 0) {
                throw InvalidFormatException.from(p, NUL_MESSAGE, s, String.class);
            }
            return s;
        }
    }
}
