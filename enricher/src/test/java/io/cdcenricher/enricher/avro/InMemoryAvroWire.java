package io.cdcenricher.enricher.avro;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A test stand-in for the registry: the writer schema is named in the header {@value #SCHEMA_HEADER} and looked
 * up in a fixed map. It exercises the topology's Avro edges (decode, dead letters, encode) without a process;
 * it proves nothing about Apicurio Registry, which {@code AvroEnrichmentIT} uses for real.
 */
public final class InMemoryAvroWire implements AvroWire {

    public static final String SCHEMA_HEADER = "test.schema";

    private final Map<String, Schema> schemas;

    public InMemoryAvroWire(Map<String, Schema> schemas) {
        this.schemas = Map.copyOf(schemas);
    }

    @Override
    public GenericRecord decode(String topic, Headers headers, byte[] value) {
        Header header = headers.lastHeader(SCHEMA_HEADER);
        Schema schema = header == null ? null : schemas.get(new String(header.value(), StandardCharsets.UTF_8));
        if (schema == null) {
            throw new IllegalStateException("no schema for header " + SCHEMA_HEADER);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(value, null);
            GenericRecord record = new GenericDatumReader<GenericRecord>(schema).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IllegalStateException("bytes left over after the record");
            }
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte[] encode(String topic, Headers headers, GenericRecord record) {
        headers.remove(SCHEMA_HEADER);
        headers.add(SCHEMA_HEADER, record.getSchema().getFullName().getBytes(StandardCharsets.UTF_8));
        return bytes(record);
    }

    /** The record as plain Avro binary. */
    public static byte[] bytes(GenericRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
