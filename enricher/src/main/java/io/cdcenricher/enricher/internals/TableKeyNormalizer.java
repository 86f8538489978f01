package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a table record key into the text the events' foreign keys are compared with. Debezium writes the
 * primary key as a JSON object ({@code {"id":42}}); after {@code ExtractField$Key} or with a string converter it
 * is a bare value ({@code 42}, {@code "42"}, {@code abc-1}). All of these name the same row as an event whose
 * foreign key is {@code 42} or {@code "42"}.
 *
 * <p>Only single-column keys are supported: a JSON object key is reduced to its {@code tableKeyField}.
 */
final class TableKeyNormalizer {

    private final String tableKeyField;

    TableKeyNormalizer(String tableKeyField) {
        this.tableKeyField = tableKeyField;
    }

    /** The canonical key text. */
    String normalize(byte[] key) throws InvalidInputException {
        int first = firstNonWhitespace(key);
        if (first < 0) {
            throw new InvalidInputException("the key is empty");
        }
        if (key[first] == '{') {
            return fromObject(key);
        }
        if (key[first] == '"') {
            return fromJsonString(key);
        }
        // A bare value: a number from the JSON converter or text from the string converter. Both are already
        // their own canonical text (42 is "42").
        return new String(key, StandardCharsets.UTF_8).strip();
    }

    private String fromObject(byte[] key) throws InvalidInputException {
        String found = null;
        try (JsonParser parser = Json.FACTORY.createParser(key)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals(tableKeyField)) {
                    found = scalarText(parser, value);
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new InvalidInputException("the key has content after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the key is " + Json.describe(e), e);
        } catch (IOException e) {
            throw new InvalidInputException("the key could not be read", e);
        }
        if (found == null) {
            throw new InvalidInputException("the JSON key has no field '" + tableKeyField + "' (tableKeyField)");
        }
        return found;
    }

    private String scalarText(JsonParser parser, JsonToken value) throws IOException, InvalidInputException {
        switch (value) {
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return KeyText.ofNumber(parser.getText(), true);
            case VALUE_NUMBER_FLOAT:
                return KeyText.ofNumber(parser.getText(), false);
            default:
                throw new InvalidInputException("the key field '" + tableKeyField + "' is " + Json.kindOf(value)
                        + ", not a string or number");
        }
    }

    private static String fromJsonString(byte[] key) throws InvalidInputException {
        try (JsonParser parser = Json.FACTORY.createParser(key)) {
            parser.nextToken();
            String text = parser.getText();
            if (parser.nextToken() != null) {
                throw new InvalidInputException("the key has content after its JSON string");
            }
            return text;
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the key is " + Json.describe(e), e);
        } catch (IOException e) {
            throw new InvalidInputException("the key could not be read", e);
        }
    }

    private static int firstNonWhitespace(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return i;
            }
        }
        return -1;
    }
}
