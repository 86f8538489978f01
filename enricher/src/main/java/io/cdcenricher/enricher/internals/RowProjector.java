package io.cdcenricher.enricher.internals;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Projects a table row to the configured fields and serializes it once, at table-update time, into the stored
 * form ({@link ReferenceTable#ROW} marker + JSON object, or {@link ReferenceTable#VERSIONED_ROW} marker + JSON object +
 * {@link RowVersion}).
 *
 * <p>With no fields configured every field is copied except Debezium's metadata fields ({@code __op},
 * {@code __source_ts_ms}, ...), which describe the change, not the row. A listed field is copied even if it
 * starts with {@code __}; a listed field missing from the row is written as {@code null} so the nested object
 * has the same shape for every hit. Numbers are copied exactly.
 */
final class RowProjector {

    private final List<String> fields;
    private final Map<String, Integer> fieldIndex = new HashMap<>();

    RowProjector(List<String> fields) {
        this.fields = List.copyOf(fields);
        for (int i = 0; i < this.fields.size(); i++) {
            fieldIndex.put(this.fields.get(i), i);
        }
    }

    /** The stored value for a row, without its version. */
    byte[] project(byte[] row) throws InvalidInputException {
        return project(row, null);
    }

    /**
     * The stored value for a row; with a {@code versions} reader, the row's metadata is read in the same pass and
     * its version, if it has one, kept after the JSON object ({@link ReferenceTable#VERSIONED_ROW}).
     */
    byte[] project(byte[] row, RowVersion.Reader versions) throws InvalidInputException {
        ByteArrayBuilder out = new ByteArrayBuilder(row.length + 1);
        out.append(ReferenceTable.ROW);
        try (JsonParser parser = Json.FACTORY.createParser(row);
             JsonGenerator generator = Json.FACTORY.createGenerator(out)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new InvalidInputException("the row is " + (first == null ? "empty" : Json.kindOf(first))
                        + ", not a JSON object");
            }
            generator.writeStartObject();
            boolean[] written = new boolean[fields.size()];
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (versions != null) {
                    versions.read(name, parser);
                }
                Integer index = fieldIndex.get(name);
                boolean copy = fields.isEmpty() ? !name.startsWith("__") : index != null && !written[index];
                if (copy) {
                    generator.writeFieldName(name);
                    Json.copyValueExact(parser, generator);
                    if (index != null) {
                        written[index] = true;
                    }
                } else {
                    parser.skipChildren();
                }
            }
            for (int i = 0; i < written.length; i++) {
                if (!written[i]) {
                    generator.writeNullField(fields.get(i));
                }
            }
            generator.writeEndObject();
            if (parser.nextToken() != null) {
                throw new InvalidInputException("the row has content after its JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("the row is " + Json.describe(e), e);
        } catch (IOException e) {
            throw new InvalidInputException("the row could not be read", e);
        }
        byte[] version = versions == null ? null : versions.version();
        if (version == null) {
            return out.toByteArray();
        }
        out.write(version);
        out.append(version.length);
        byte[] stored = out.toByteArray();
        stored[0] = ReferenceTable.VERSIONED_ROW;
        return stored;
    }
}
