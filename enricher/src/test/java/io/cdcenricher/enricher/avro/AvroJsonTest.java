package io.cdcenricher.enricher.avro;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The conversions at the Avro edges, pure (no registry): unions must come out as plain JSON values, never Avro
 * JSON's {"type": value} wrappers, or the engine would read a foreign key as an object.
 */
class AvroJsonTest {

    private static final Schema ROW = new Schema.Parser().parse("""
            {"type": "record", "name": "Row", "fields": [
              {"name": "id", "type": "int"},
              {"name": "name", "type": ["null", "string"], "default": null},
              {"name": "score", "type": ["null", "long", "string"], "default": null},
              {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "tier", "type": {"type": "enum", "name": "Tier", "symbols": ["gold", "silver"]}},
              {"name": "tags", "type": {"type": "array", "items": "string"}},
              {"name": "attributes", "type": {"type": "map", "values": ["null", "double"]}},
              {"name": "address", "type": ["null", {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"}, {"name": "zip", "type": ["null", "string"], "default": null}]}]},
              {"name": "active", "type": "boolean"}
            ]}""");

    private static Schema enrichedOrder() throws IOException {
        try (InputStream in = AvroJsonTest.class.getResourceAsStream("/schemas/enriched-order.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    private static GenericRecord row() {
        Schema address = ROW.getField("address").schema().getTypes().get(1);
        GenericData.Record city = new GenericData.Record(address);
        city.put("city", "London");
        city.put("zip", null);
        Schema price = ROW.getField("price").schema();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("weight", 1.5);
        attributes.put("height", null);
        GenericData.Record record = new GenericData.Record(ROW);
        record.put("id", 42);
        record.put("name", new org.apache.avro.util.Utf8("Ada"));
        record.put("score", 7L);
        record.put("price", new Conversions.DecimalConversion().toBytes(new BigDecimal("12.50"), price,
                LogicalTypes.decimal(10, 2)));
        record.put("tier", new GenericData.EnumSymbol(ROW.getField("tier").schema(), "gold"));
        record.put("tags", new GenericData.Array<>(ROW.getField("tags").schema(), List.of("a", "b")));
        record.put("attributes", attributes);
        record.put("address", city);
        record.put("active", true);
        return record;
    }

    private static String json(GenericRecord record) {
        return new String(AvroJson.toJson(record), StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteUnionsAsPlainValuesNestedRecordsEnumsMapsAndDecimalsAsStrings() {
        assertThat(json(row())).isEqualTo("{\"id\":42,\"name\":\"Ada\",\"score\":7,\"price\":\"12.50\","
                + "\"tier\":\"gold\",\"tags\":[\"a\",\"b\"],\"attributes\":{\"weight\":1.5,\"height\":null},"
                + "\"address\":{\"city\":\"London\",\"zip\":null},\"active\":true}");
    }

    @Test
    void shouldWriteNullUnionsAsJsonNull() {
        GenericRecord record = row();
        record.put("name", null);
        record.put("score", "high");
        record.put("address", null);

        assertThat(json(record)).contains("\"name\":null,\"score\":\"high\"").contains("\"address\":null");
    }

    @Test
    void shouldReadJsonBackIntoTheSameRecord() {
        GenericRecord original = row();

        GenericRecord read = AvroJson.fromJson(AvroJson.toJson(original), ROW);

        assertThat(read).isEqualTo(original);
        assertThat(json(read)).isEqualTo(json(original));
    }

    @Test
    void shouldReadAnEnrichedEventIntoTheContractSchemaAndDropFieldsItDoesNotName() throws IOException {
        byte[] enriched = ("{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42,\"amount\":12.5,\"extra\":[1],"
                + "\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\",\"email\":\"a@x\"},"
                + "\"enrichment\":{\"customer\":\"hit\",\"product\":\"skipped\"}}").getBytes(StandardCharsets.UTF_8);

        GenericRecord record = AvroJson.fromJson(enriched, enrichedOrder());

        assertThat(json(record)).isEqualTo("{\"type\":\"create\",\"id\":\"o-1\",\"customerId\":42,"
                + "\"productId\":null,\"amount\":12.5,\"ts\":null,\"customer\":{\"name\":\"Ada\",\"tier\":\"gold\"},"
                + "\"product\":null,\"enrichment\":{\"customer\":\"hit\",\"product\":\"skipped\"}}");
    }

    @Test
    void shouldAcceptADecimalNumberForAStringFieldAsItsExactText() throws IOException {
        byte[] enriched = ("{\"type\":\"create\",\"id\":\"o-1\",\"product\":{\"title\":\"Lamp\",\"price\":12.50},"
                + "\"enrichment\":{\"product\":\"hit\"}}").getBytes(StandardCharsets.UTF_8);

        GenericRecord record = AvroJson.fromJson(enriched, enrichedOrder());

        assertThat(((GenericRecord) record.get("product")).get("price")).isEqualTo("12.50");
    }

    @Test
    void shouldReadADecimalFromTextOrNumberAtTheSchemaScale() {
        GenericRecord read = AvroJson.fromJson(json(row()).replace("\"12.50\"", "12.5")
                .getBytes(StandardCharsets.UTF_8), ROW);

        BigDecimal price = new Conversions.DecimalConversion().fromBytes((ByteBuffer) read.get("price"),
                ROW.getField("price").schema(), LogicalTypes.decimal(10, 2));
        assertThat(price).isEqualTo(new BigDecimal("12.50"));
    }

    @Test
    void shouldNameTheFieldOfAnUnknownEnumSymbol() throws IOException {
        byte[] enriched = "{\"type\":\"create\",\"id\":\"o-1\",\"enrichment\":{\"customer\":\"maybe\"}}"
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> AvroJson.fromJson(enriched, enrichedOrder()))
                .isInstanceOf(AvroConversionException.class)
                .hasMessageContaining("enrichment.customer").hasMessageContaining("maybe");
    }

    @Test
    void shouldRefuseAnObjectWhereTheSchemaHasAString() throws IOException {
        byte[] enriched = ("{\"type\":\"create\",\"id\":\"o-1\",\"customer\":{\"name\":{\"first\":\"Ada\"}},"
                + "\"enrichment\":{}}").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> AvroJson.fromJson(enriched, enrichedOrder()))
                .isInstanceOf(AvroConversionException.class)
                .hasMessage("field 'customer.name' expected a string, found an object");
    }

    @Test
    void shouldRefuseAMissingRequiredFieldAndNullForANonNullableOne() throws IOException {
        assertThatThrownBy(() -> AvroJson.fromJson("{\"type\":\"create\",\"enrichment\":{}}"
                .getBytes(StandardCharsets.UTF_8), enrichedOrder()))
                .hasMessage("field 'id' is missing and has no default");
        assertThatThrownBy(() -> AvroJson.fromJson("{\"type\":\"create\",\"id\":null,\"enrichment\":{}}"
                .getBytes(StandardCharsets.UTF_8), enrichedOrder()))
                .hasMessage("field 'id' is null but the schema's type is string");
    }

    @Test
    void shouldRefuseALongOutsideAnIntField() {
        byte[] json = json(row()).replace("\"id\":42", "\"id\":4200000000").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> AvroJson.fromJson(json, ROW)).hasMessage("field 'id' expected an int, found a number");
    }
}
