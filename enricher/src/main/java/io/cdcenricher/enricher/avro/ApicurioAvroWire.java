package io.cdcenricher.enricher.avro;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.cdcenricher.enricher.config.AvroConfig;
import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Apicurio Registry's Avro serdes (2.x, the v2 API): the writer schema is looked up by the global id in the
 * record header {@code apicurio.value.globalId} (cached by the serde), and the output record is written with the
 * output schema, registered as {@code <topic>-value} on first use (auto-register, as the Connect converter does),
 * with the same headers the converter writes. Schema ids of the input in the headers are dropped before the
 * output's are added, so a consumer never sees two.
 */
public final class ApicurioAvroWire implements AvroWire {

    /** The prefix of the headers Apicurio's serdes write for a value. */
    public static final String VALUE_HEADER_PREFIX = "apicurio.value.";

    private final AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>();
    private final AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();

    public ApicurioAvroWire(AvroConfig config) {
        deserializer.configure(config.serdeProperties(), false);
        serializer.configure(config.serdeProperties(), false);
    }

    /** One wire per call, for one processor instance. */
    public static Supplier<AvroWire> supplier(AvroConfig config) {
        return () -> new ApicurioAvroWire(config);
    }

    @Override
    public GenericRecord decode(String topic, Headers headers, byte[] value) {
        return deserializer.deserialize(topic, headers, value);
    }

    @Override
    public byte[] encode(String topic, Headers headers, GenericRecord record) {
        for (Header header : headers.toArray()) {
            if (header.key().startsWith(VALUE_HEADER_PREFIX)) {
                headers.remove(header.key());
            }
        }
        return serializer.serialize(topic, headers, record);
    }

    @Override
    public void close() {
        deserializer.close();
        serializer.close();
    }
}
