package io.cdcenricher.perf.load;

import java.util.Map;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.cdcenricher.enricher.avro.AvroJson;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;

/**
 * The wire format of the events and the output: JSON as rendered, or Avro the way the enricher's {@code format: avro}
 * speaks it (Apicurio Registry's 2.x serdes, the writer schema's global id in the {@code apicurio.value.*} headers).
 * The rendered JSON is read into the Avro schema with the enricher's own {@link AvroJson} (a union is its value,
 * fields the schema does not name are dropped), and the output is turned back into JSON to read its statuses.
 */
public interface EventCodec extends AutoCloseable {

    /** The value to send for a rendered event; may add headers (Avro's schema id). */
    byte[] encode(String topic, Headers headers, byte[] json);

    /** An output or dead-letter value as JSON. */
    byte[] decode(String topic, Headers headers, byte[] value);

    /** One word for the report: {@code json} or {@code avro}. */
    String name();

    @Override
    default void close() {
    }

    static EventCodec json() {
        return new EventCodec() {
            @Override
            public byte[] encode(String topic, Headers headers, byte[] json) {
                return json;
            }

            @Override
            public byte[] decode(String topic, Headers headers, byte[] value) {
                return value;
            }

            @Override
            public String name() {
                return "json";
            }
        };
    }

    /** Avro with {@code schema}; {@code serdeProperties} are Apicurio's ({@code apicurio.registry.url}, ...). */
    static EventCodec avro(Schema schema, Map<String, Object> serdeProperties) {
        return new Avro(schema, serdeProperties);
    }

    /** The Avro codec; the serializer and deserializer are each used by one thread only (sender, matcher). */
    final class Avro implements EventCodec {
        private final Schema schema;
        private final AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
        private final AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>();

        Avro(Schema schema, Map<String, Object> serdeProperties) {
            this.schema = schema;
            serializer.configure(serdeProperties, false);
            deserializer.configure(serdeProperties, false);
        }

        /** The rendered JSON as a record of the event schema (no registry involved): what {@link #encode} writes. */
        public static GenericRecord toRecord(byte[] json, Schema schema) {
            return AvroJson.fromJson(json, schema);
        }

        @Override
        public byte[] encode(String topic, Headers headers, byte[] json) {
            return serializer.serialize(topic, headers, toRecord(json, schema));
        }

        @Override
        public byte[] decode(String topic, Headers headers, byte[] value) {
            return AvroJson.toJson(deserializer.deserialize(topic, headers, value));
        }

        @Override
        public String name() {
            return "avro";
        }

        @Override
        public void close() {
            serializer.close();
            deserializer.close();
        }
    }
}
