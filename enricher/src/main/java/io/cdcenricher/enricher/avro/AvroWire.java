package io.cdcenricher.enricher.avro;

import java.util.function.Supplier;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Headers;

/**
 * Avro values on a topic: how a value's writer schema is found and how a record is written. In production this is
 * {@link ApicurioAvroWire} (the registry, Apicurio's header format). Each processor instance gets its own from
 * a {@link Supplier}, so an implementation need not be thread-safe.
 */
public interface AvroWire extends AutoCloseable {

    /** Decodes a value with its writer schema; any exception means the value cannot be decoded. */
    GenericRecord decode(String topic, Headers headers, byte[] value);

    /** Encodes a record; schema identification goes into {@code headers}. */
    byte[] encode(String topic, Headers headers, GenericRecord record);

    @Override
    default void close() {
    }
}
