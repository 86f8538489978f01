package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.EnrichmentMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Reports each outcome to {@link EnrichmentMetrics} on its way to the output or dead-letter topic; changes nothing.
 * A node of its own where a later stage can still change an outcome (Avro encoding, the partitioned path); the
 * single-pass JSON processor calls {@link #record} itself and saves the node.
 */
final class OutcomeRecorder implements FixedKeyProcessor<byte[], Outcome, Outcome> {

    private final EnrichmentMetrics metrics;
    private FixedKeyProcessorContext<byte[], Outcome> context;

    OutcomeRecorder(EnrichmentMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<byte[], Outcome> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<byte[], Outcome> record) {
        record(metrics, record.value(), record.timestamp());
        context.forward(record);
    }

    /** Counts one outcome that is about to be written: an enriched event or a dead letter (nothing else counts). */
    static void record(EnrichmentMetrics metrics, Outcome outcome, long timestamp) {
        if (outcome instanceof Outcome.Output output && output.statuses() != null) {
            metrics.enriched(output.statuses(), timestamp);
        } else if (outcome instanceof Outcome.DeadLettered dead) {
            metrics.deadLettered(dead.reason());
        }
    }
}
