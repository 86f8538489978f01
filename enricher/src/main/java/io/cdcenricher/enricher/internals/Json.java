package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;

/** The one streaming JSON factory; parsers and generators from it are cheap and reuse buffers per thread. */
final class Json {

    /** Strict JSON: no comments, no NaN, and parse errors never quote the input (it may hold personal data). */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    /**
     * {@link #FACTORY} without encoding detection, for input already checked to be UTF-8 that starts with its
     * object ({@link EventScanner} does that first): the detection looks for a BOM and UTF-16/32 zero bytes on every
     * parser it creates, which a profile showed as a few percent of the event path, and both are rejected before.
     */
    static final JsonFactory UTF8_INPUT = FACTORY.rebuild()
            .disable(JsonFactory.Feature.CHARSET_DETECTION)
            .build();

    private Json() {
    }

    /**
     * Copies the value at the parser's current token (scalar, object or array) to the generator, keeping
     * decimal numbers exact: a plain {@code copyCurrentStructure} goes through {@code double} and would turn
     * {@code 12.50} into {@code 12.5} and lose precision on large decimals.
     */
    static void copyValueExact(JsonParser parser, JsonGenerator generator) throws IOException {
        int depth = 0;
        do {
            JsonToken token = parser.currentToken();
            generator.copyCurrentEventExact(parser);
            if (token.isStructStart()) {
                depth++;
            } else if (token.isStructEnd()) {
                depth--;
            }
        } while (depth > 0 && parser.nextToken() != null);
    }

    /** A human name for the kind of value a token starts. */
    static String kindOf(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            case VALUE_STRING:
                return "a string";
            default:
                return "a number";
        }
    }

    /** A short description of a parse error: where, never what (the message can echo input text). */
    static String describe(JsonProcessingException e) {
        if (e.getLocation() == null) {
            return "not valid JSON";
        }
        return "not valid JSON at byte " + e.getLocation().getByteOffset();
    }
}
