package io.cdcenricher.perf.load;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.cdcenricher.ops.StackLayout;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Avro path without a registry: a rendered template read into the contract's {@code order-event.avsc} and
 * through Avro's binary encoding, which is what Apicurio's serializer writes after the schema id. The serializer's
 * registry round trip itself is not tested here (it needs a running Apicurio; {@code AvroEnrichmentIT} covers the
 * enricher's side of the same serdes).
 */
class EventCodecTest {

    @Test
    void aRenderedTemplateBecomesAnOrderEvent() throws Exception {
        Schema schema = new Schema.Parser().parse(Files.readString(
                StackLayout.locate().repoRoot().resolve("schemas/src/main/avro/order-event.avsc")));
        EventTemplate template = EventTemplate.parse("""
                {"type":"create","id":"{{entityId}}","customerId":{{fk:7..7}},"productId":"p-{{fk:3..3}}",
                 "amount":12.5,"ts":"{{now:iso}}","extra":"dropped"}""", Path.of("."), 1, "order.json");
        byte[] json = template.renderBytes(new EventTemplate.Context("r", 0, "r-0", 0));

        GenericRecord record = EventCodec.Avro.toRecord(json, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        GenericRecord back = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        assertThat(back.get("type").toString()).isEqualTo("create");
        assertThat(back.get("id").toString()).isEqualTo("r-0");
        assertThat(back.get("customerId")).isEqualTo(7L);
        assertThat(back.get("productId").toString()).isEqualTo("p-3");
        assertThat(back.get("amount")).isEqualTo(12.5);
        assertThat(back.get("ts").toString()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(back.getSchema().getField("extra")).isNull();
    }

    @Test
    void aTemplateThatDoesNotFitTheSchemaIsNamed() throws Exception {
        Schema schema = new Schema.Parser().parse(Files.readString(
                StackLayout.locate().repoRoot().resolve("schemas/src/main/avro/order-event.avsc")));
        assertThatThrownBy(() -> EventCodec.Avro.toRecord("{\"type\":\"bogus\",\"id\":\"x\"}".getBytes(), schema))
                .hasMessageContaining("type");
    }

    @Test
    void jsonIsSentAsRendered() {
        byte[] json = "{\"a\":1}".getBytes();
        assertThat(EventCodec.json().encode("t", new org.apache.kafka.common.header.internals.RecordHeaders(), json)).isSameAs(json);
    }
}
