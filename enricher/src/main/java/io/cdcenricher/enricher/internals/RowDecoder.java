package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.avro.AvroJson;
import io.cdcenricher.enricher.avro.AvroWire;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;

/**
 * Turns a table topic's value into the JSON {@link RowProjector} reads, in front of {@link ReferenceRowUpdater}, so
 * a store holds the same pre-serialized JSON rows whatever the wire format. A value it cannot decode is an
 * {@link InvalidInputException} (the updater logs and skips it, as a malformed JSON row).
 */
interface RowDecoder {

    /** JSON rows: the bytes as they are. */
    RowDecoder JSON = (topic, headers, value) -> value;

    byte[] toJson(String topic, Headers headers, byte[] value) throws InvalidInputException;

    /** Avro rows (as the Apicurio Connect converter writes them), decoded with their writer schema. */
    static Supplier<RowDecoder> avro(Supplier<AvroWire> wires) {
        return () -> {
            AvroWire wire = wires.get();
            return (topic, headers, value) -> {
                try {
                    return AvroJson.toJson(wire.decode(topic, headers, value));
                } catch (RuntimeException e) {
                    throw new InvalidInputException("the Avro value cannot be decoded (" + e.getClass().getName()
                            + ": " + e.getMessage() + ")");
                }
            };
        };
    }
}
