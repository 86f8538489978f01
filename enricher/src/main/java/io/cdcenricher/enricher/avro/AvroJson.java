package io.cdcenricher.enricher.avro;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;

/**
 * Avro data to the JSON the enrichment engine reads, and enriched JSON back to Avro data of the output schema.
 *
 * <p>Not Avro's own JSON encoding: that wraps every non-null union value in {@code {"type": value}}, which the
 * engine (and every JSON consumer) would read as a nested object. Here a union is its value, a record an object,
 * a map an object, an enum its symbol, a {@code decimal} its exact text (a JSON string, as Debezium's
 * {@code decimal.handling.mode=string} writes it), other bytes and fixed base64 text.
 *
 * <p>Back to Avro, fields are matched by name: JSON fields the schema does not name are dropped, a field the JSON
 * lacks takes its default (an error without one), a union takes its first branch the value fits ({@code null} for
 * JSON null or an absent field). Scalars are strict, except that a string field accepts a number or boolean as its
 * text (a decimal written as a number). Every mismatch is an {@link AvroConversionException} naming the field path.
 */
public final class AvroJson {

    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    /** Decimals as written: 12.50 stays 12.50 (exact BigDecimals, not normalized). */
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private AvroJson() {
    }

    // ---- Avro -> JSON ---------------------------------------------------------------------------------

    /** The record as UTF-8 JSON bytes. */
    public static byte[] toJson(GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = JSON_FACTORY.createGenerator(out)) {
            write(generator, record.getSchema(), record);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator out, Schema schema, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
            return;
        }
        switch (schema.getType()) {
            case UNION -> write(out, schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), value);
            case RECORD -> {
                GenericRecord record = (GenericRecord) value;
                out.writeStartObject();
                for (Schema.Field field : record.getSchema().getFields()) {
                    out.writeFieldName(field.name());
                    write(out, field.schema(), record.get(field.pos()));
                }
                out.writeEndObject();
            }
            case MAP -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    out.writeFieldName(entry.getKey().toString());
                    write(out, schema.getValueType(), entry.getValue());
                }
                out.writeEndObject();
            }
            case ARRAY -> {
                out.writeStartArray();
                for (Object element : (Collection<?>) value) {
                    write(out, schema.getElementType(), element);
                }
                out.writeEndArray();
            }
            case STRING, ENUM -> out.writeString(value.toString());
            case INT -> out.writeNumber(((Number) value).intValue());
            case LONG -> out.writeNumber(((Number) value).longValue());
            case FLOAT, DOUBLE -> {
                double number = ((Number) value).doubleValue();
                if (Double.isFinite(number)) {
                    out.writeNumber(schema.getType() == Schema.Type.FLOAT ? ((Number) value).floatValue() : number);
                } else {
                    out.writeString(Double.toString(number));
                }
            }
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case BYTES -> {
                ByteBuffer bytes = ((ByteBuffer) value).duplicate();
                LogicalType logical = schema.getLogicalType();
                if (logical instanceof LogicalTypes.Decimal) {
                    out.writeString(DECIMALS.fromBytes(bytes, schema, logical).toPlainString());
                } else {
                    byte[] copy = new byte[bytes.remaining()];
                    bytes.get(copy);
                    out.writeString(Base64.getEncoder().encodeToString(copy));
                }
            }
            case FIXED -> {
                LogicalType logical = schema.getLogicalType();
                if (logical instanceof LogicalTypes.Decimal) {
                    out.writeString(DECIMALS.fromFixed((GenericFixed) value, schema, logical).toPlainString());
                } else {
                    out.writeString(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
                }
            }
            case NULL -> out.writeNull();
            default -> throw new AvroConversionException("", "unsupported Avro type " + schema.getType());
        }
    }

    // ---- JSON -> Avro ---------------------------------------------------------------------------------

    /** Reads UTF-8 JSON into a record of {@code schema}; fields not in the schema are dropped. */
    public static GenericRecord fromJson(byte[] json, Schema schema) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AvroConversionException("", "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return (GenericRecord) read(node, schema, "");
    }

    private static Object read(JsonNode node, Schema schema, String path) {
        boolean absent = node == null || node.isNull() || node.isMissingNode();
        switch (schema.getType()) {
            case NULL -> {
                if (!absent) {
                    throw mismatch(path, "null", node);
                }
                return null;
            }
            case UNION -> {
                if (absent) {
                    for (Schema branch : schema.getTypes()) {
                        if (branch.getType() == Schema.Type.NULL) {
                            return null;
                        }
                    }
                    throw new AvroConversionException(path, "is null but the schema does not allow null");
                }
                AvroConversionException first = null;
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() == Schema.Type.NULL) {
                        continue;
                    }
                    try {
                        return read(node, branch, path);
                    } catch (AvroConversionException e) {
                        first = first == null ? e : first;
                    }
                }
                throw first != null ? first : mismatch(path, "a non-null union branch", node);
            }
            default -> {
                if (absent) {
                    throw new AvroConversionException(path, "is null but the schema's type is "
                            + schema.getType().getName());
                }
            }
        }
        return switch (schema.getType()) {
            case RECORD -> readRecord(node, schema, path);
            case MAP -> {
                if (!node.isObject()) {
                    throw mismatch(path, "an object (map)", node);
                }
                Map<String, Object> map = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    map.put(entry.getKey(), read(entry.getValue(), schema.getValueType(),
                            child(path, entry.getKey())));
                }
                yield map;
            }
            case ARRAY -> {
                if (!node.isArray()) {
                    throw mismatch(path, "an array", node);
                }
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    list.add(read(node.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                yield new GenericData.Array<>(schema, list);
            }
            case ENUM -> {
                if (!node.isTextual() || !schema.hasEnumSymbol(node.asText())) {
                    throw new AvroConversionException(path, "'" + node.asText() + "' is not one of "
                            + schema.getEnumSymbols());
                }
                yield new GenericData.EnumSymbol(schema, node.asText());
            }
            case STRING -> {
                if (node.isTextual()) {
                    yield node.asText();
                }
                if (node.isNumber()) {
                    yield node.isBigDecimal() ? node.decimalValue().toPlainString() : node.asText();
                }
                if (node.isBoolean()) {
                    yield node.asText();
                }
                throw mismatch(path, "a string", node);
            }
            case INT -> {
                if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                    throw mismatch(path, "an int", node);
                }
                yield node.intValue();
            }
            case LONG -> {
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw mismatch(path, "a long", node);
                }
                yield node.longValue();
            }
            case FLOAT -> {
                if (!node.isNumber()) {
                    throw mismatch(path, "a number", node);
                }
                yield node.floatValue();
            }
            case DOUBLE -> {
                if (!node.isNumber()) {
                    throw mismatch(path, "a number", node);
                }
                yield node.doubleValue();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw mismatch(path, "a boolean", node);
                }
                yield node.booleanValue();
            }
            case BYTES -> {
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal decimal) {
                    yield DECIMALS.toBytes(decimalOf(node, decimal, path), schema, decimal);
                }
                if (!node.isTextual()) {
                    throw mismatch(path, "base64 text", node);
                }
                try {
                    yield ByteBuffer.wrap(Base64.getDecoder().decode(node.asText()));
                } catch (IllegalArgumentException e) {
                    throw new AvroConversionException(path, "is not base64 text");
                }
            }
            default -> throw new AvroConversionException(path, "the output schema's type " + schema.getType()
                    .getName() + " is not supported");
        };
    }

    private static GenericRecord readRecord(JsonNode node, Schema schema, String path) {
        if (!node.isObject()) {
            throw mismatch(path, "an object (record " + schema.getName() + ")", node);
        }
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            JsonNode value = node.get(field.name());
            String fieldPath = child(path, field.name());
            if (value == null && field.hasDefaultValue()) {
                record.put(field.pos(), GenericData.get().deepCopy(field.schema(),
                        GenericData.get().getDefaultValue(field)));
            } else if (value == null && !allowsNull(field.schema())) {
                throw new AvroConversionException(fieldPath, "is missing and has no default");
            } else {
                record.put(field.pos(), read(value, field.schema(), fieldPath));
            }
        }
        return record;
    }

    private static BigDecimal decimalOf(JsonNode node, LogicalTypes.Decimal decimal, String path) {
        BigDecimal value;
        try {
            value = node.isNumber() ? node.decimalValue() : node.isTextual() ? new BigDecimal(node.asText()) : null;
        } catch (NumberFormatException e) {
            value = null;
        }
        if (value == null) {
            throw mismatch(path, "a decimal", node);
        }
        try {
            return value.setScale(decimal.getScale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new AvroConversionException(path, "'" + value + "' does not fit scale " + decimal.getScale());
        }
    }

    private static boolean allowsNull(Schema schema) {
        return schema.getType() == Schema.Type.NULL || schema.getType() == Schema.Type.UNION
                && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
    }

    private static String child(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static AvroConversionException mismatch(String path, String expected, JsonNode found) {
        return new AvroConversionException(path, "expected " + expected + ", found " + kindOf(found));
    }

    private static String kindOf(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
