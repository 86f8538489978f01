package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.EnrichmentMetrics;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/** Reports each outcome to {@link EnrichmentMetrics} on its way to the output or dead-letter topic; changes nothing. */
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
        Outcome outcome = record.value();
        if (outcome instanceof Outcome.Output output && output.statuses() != null) {
            metrics.enriched(output.statuses(), record.timestamp());
        } else if (outcome instanceof Outcome.DeadLettered dead) {
            metrics.deadLettered(dead.reason());
        }
        context.forward(record);
    }
}
