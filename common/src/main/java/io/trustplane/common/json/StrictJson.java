package io.trustplane.common.json;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
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
 * otherwise take 1.5 as 1), no string may hold a NUL character, which PostgreSQL cannot store in text or jsonb, and
 * no object may name a key twice (Jackson would otherwise keep the last value, so {@code {"k":1,"k":2}} would be
 * stored as 2 while another reader of the same bytes might take 1).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** The message {@code ProblemMappers} gives for a string with a NUL character. */
    public static final String NUL_MESSAGE = "must not contain NUL characters";

    /** The message {@code ProblemMappers} gives for a key an object names twice. */
    public static final String DUPLICATE_MESSAGE = "is a duplicate key";

    /**
     * The path of the key a duplicate-key refusal is about ({@code metadata.k}, {@code items[2].name}), or null
     * when the exception is not one; read from the parser's context, where Jackson has just set the repeated name.
     */
    public static String duplicateKey(Throwable e) {
        // databind wraps the parser's refusal when it happens inside a bean (with the bean's path)
        JsonParseException found = null;
        for (Throwable t = e; t != null && found == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonParseException jpe && jpe.getOriginalMessage() != null
                    && jpe.getOriginalMessage().startsWith("Duplicate field '")) {
                found = jpe;
            }
        }
        JsonParser parser = found == null ? null : found.getProcessor();
        if (parser == null) {
            return null;
        }
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                String name = c.getCurrentName();
                parts.addFirst(name == null ? "" : name);
            } else if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            }
        }
        StringBuilder path = new StringBuilder();
        for (String part : parts) {
            if (path.length() > 0 && !part.startsWith("[")) {
                path.append('.');
            }
            path.append(part);
        }
        return path.length() == 0 ? "body" : path.toString();
    }

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
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
