package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.avro.AvroConversionException;
import io.cdcenricher.enricher.avro.AvroJson;
import io.cdcenricher.enricher.avro.AvroWire;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * {@code format: avro} at the edges of the JSON engine, which stays unchanged.
 *
 * <p>In front of it, {@link Decoder} turns each Avro event into the JSON bytes the JSON path would see (or a
 * {@code malformed-avro} dead letter), and keeps the original Avro bytes in the internal header
 * {@link #ORIGINAL_VALUE_HEADER}, which travels with the record (also through the wait buffer). Behind it,
 * {@link Encoder} writes an enriched event with the output schema (or makes it an {@code output-schema-mismatch}
 * dead letter) and gives every dead letter its original bytes back; the internal header never leaves.
 */
final class AvroEdge {

    /** The original Avro value of an event while it is JSON inside the topology; removed before any write. */
    static final String ORIGINAL_VALUE_HEADER = "enricher.avro.original-value";

    private AvroEdge() {
    }

    /** Avro events to JSON: {@code Outcome.Output} carries the JSON on, {@code DeadLettered} the original bytes. */
    static final class Decoder implements Processor<byte[], byte[], byte[], Outcome> {

        private final Supplier<AvroWire> wires;
        private AvroWire wire;
        private ProcessorContext<byte[], Outcome> context;

        Decoder(Supplier<AvroWire> wires) {
            this.wires = wires;
        }

        @Override
        public void init(ProcessorContext<byte[], Outcome> context) {
            this.context = context;
            this.wire = wires.get();
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            if (record.value() == null) {
                context.forward(record.withValue(new Outcome.Output(null)));
                return;
            }
            String topic = context.recordMetadata().map(m -> m.topic()).orElse(null);
            byte[] json;
            try {
                json = AvroJson.toJson(wire.decode(topic, record.headers(), record.value()));
            } catch (RuntimeException e) {
                DeadLetter.Source source = context.recordMetadata()
                        .map(m -> new DeadLetter.Source(m.topic(), m.partition(), m.offset())).orElse(null);
                context.forward(OutputRecords.deadLetter(record, record.key(), record.value(),
                        DeadLetter.Reason.MALFORMED_AVRO, "the value cannot be decoded as Avro: "
                                + e.getMessage(), e, source));
                return;
            }
            Headers headers = new RecordHeaders(record.headers().toArray());
            headers.remove(ORIGINAL_VALUE_HEADER);
            headers.add(ORIGINAL_VALUE_HEADER, record.value());
            context.forward(new Record<>(record.key(), new Outcome.Output(json), record.timestamp(), headers));
        }

        @Override
        public void close() {
            if (wire != null) {
                wire.close();
            }
        }
    }

    /** Enriched JSON to Avro of the output schema; dead letters get their original value and headers back. */
    static final class Encoder implements FixedKeyProcessor<byte[], Outcome, Outcome> {

        private final Supplier<AvroWire> wires;
        private final Schema outputSchema;
        private final String outputTopic;
        private AvroWire wire;
        private FixedKeyProcessorContext<byte[], Outcome> context;

        Encoder(Supplier<AvroWire> wires, Schema outputSchema, String outputTopic) {
            this.wires = wires;
            this.outputSchema = outputSchema;
            this.outputTopic = outputTopic;
        }

        @Override
        public void init(FixedKeyProcessorContext<byte[], Outcome> context) {
            this.context = context;
            this.wire = wires.get();
        }

        @Override
        public void process(FixedKeyRecord<byte[], Outcome> record) {
            Headers headers = new RecordHeaders(record.headers().toArray());
            Header original = headers.lastHeader(ORIGINAL_VALUE_HEADER);
            headers.remove(ORIGINAL_VALUE_HEADER);
            byte[] originalValue = original == null ? null : original.value();
            Outcome outcome = record.value();
            if (outcome instanceof Outcome.DeadLettered dead) {
                byte[] value = originalValue != null ? originalValue : dead.value();
                context.forward(record.withValue((Outcome) new Outcome.DeadLettered(value, dead.reason()))
                        .withHeaders(headers));
                return;
            }
            if (!(outcome instanceof Outcome.Output output) || output.value() == null) {
                context.forward(record.withHeaders(headers));
                return;
            }
            byte[] encoded;
            try {
                GenericRecord avro = AvroJson.fromJson(output.value(), outputSchema);
                encoded = wire.encode(outputTopic, headers, avro);
            } catch (AvroConversionException e) {
                Headers dlq = DeadLetter.headers(headers, DeadLetter.Reason.OUTPUT_SCHEMA_MISMATCH,
                        "the enriched event does not fit the output schema " + outputSchema.getFullName() + ": "
                                + e.getMessage(), e, source());
                context.forward(record.withValue((Outcome) new Outcome.DeadLettered(originalValue,
                        DeadLetter.Reason.OUTPUT_SCHEMA_MISMATCH)).withHeaders(dlq));
                return;
            }
            context.forward(record.withValue((Outcome) new Outcome.Output(encoded, output.statuses()))
                    .withHeaders(headers));
        }

        private DeadLetter.Source source() {
            return context.recordMetadata().filter(m -> m.topic() != null)
                    .map(m -> new DeadLetter.Source(m.topic(), m.partition(), m.offset())).orElse(null);
        }

        @Override
        public void close() {
            if (wire != null) {
                wire.close();
            }
        }
    }
}
