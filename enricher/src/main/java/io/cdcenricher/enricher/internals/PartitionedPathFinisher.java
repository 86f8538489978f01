package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.config.EnricherConfig;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The end of the partitioned path, after the events are keyed by entity id again: splices the enriched event
 * from the original bytes and the rows gathered on the way (or dead-letters it as oversized), and passes entity
 * tombstones through.
 */
final class PartitionedPathFinisher implements Processor<byte[], PartlyEnrichedEvent, byte[], Outcome> {

    private final OutputRecords outputRecords;
    private ProcessorContext<byte[], Outcome> context;

    PartitionedPathFinisher(EnricherConfig config) {
        this.outputRecords = new OutputRecords(config);
    }

    @Override
    public void init(ProcessorContext<byte[], Outcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], PartlyEnrichedEvent> record) {
        PartlyEnrichedEvent event = record.value();
        if (event.value == null) {
            context.forward(record.withKey(event.entityKey).withValue(new Outcome.Output(null)));
            return;
        }
        context.forward(outputRecords.enriched(record, event.entityKey, event.value, event.closingBrace,
                event.hasFields, event.statuses, event.rows, event.source));
    }
}
