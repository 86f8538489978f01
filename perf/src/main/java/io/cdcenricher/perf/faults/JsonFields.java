package io.cdcenricher.perf.faults;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Top-level fields of a record's JSON value, read with Jackson. The oracle never matches JSON text with patterns: a
 * pattern also finds a field nested in a row, or one spelled with a space after the colon.
 */
final class JsonFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFields() {
    }

    /** The value as a tree; a missing node when it is null or not JSON, so that every field reads as absent. */
    static JsonNode tree(byte[] value) {
        if (value == null) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode tree = JSON.readTree(value);
            return tree == null ? MissingNode.getInstance() : tree;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    /** The top-level field {@code name} when it is a whole number. */
    static OptionalLong integer(byte[] value, String name) {
        JsonNode field = tree(value).path(name);
        return field.isIntegralNumber() && field.canConvertToLong() ? OptionalLong.of(field.asLong())
                : OptionalLong.empty();
    }

    /** The top-level field {@code name} when it is a string. */
    static Optional<String> text(byte[] value, String name) {
        JsonNode field = tree(value).path(name);
        return field.isTextual() ? Optional.of(field.asText()) : Optional.empty();
    }
}
