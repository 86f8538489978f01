package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.config.OnMiss;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A partitioned join's lookup: runs in the task that owns the table partition of the event's foreign key (the
 * events arrive re-keyed by it), fills in the join's status and row, and forwards the pending event, or
 * dead-letters the original event under {@code onMiss: dead-letter}. Dead letters keep the entity key, the
 * original value and the original source position.
 */
final class PartitionedLookupProcessor implements Processor<byte[], PendingEvent, byte[], Outcome> {

    private final int joinIndex;
    private final JoinLookup lookup;
    private final String storeName;
    private ProcessorContext<byte[], Outcome> context;
    private KeyValueStore<Bytes, byte[]> store;

    PartitionedLookupProcessor(JoinConfig join, int joinIndex) {
        this.joinIndex = joinIndex;
        this.lookup = new JoinLookup(join);
        this.storeName = ReferenceTable.storeName(join);
    }

    /** The processor name the table's store is connected to. */
    static String name(JoinConfig join) {
        return "lookup-" + join.name();
    }

    @Override
    public void init(ProcessorContext<byte[], Outcome> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<byte[], PendingEvent> record) {
        PendingEvent event = record.value();
        if (event.value != null && event.statuses[joinIndex] == null) {
            byte[] key = event.foreignKeys[joinIndex];
            JoinStatus status = lookup.lookUp(store, key, record.timestamp(), event.rows, joinIndex);
            event.statuses[joinIndex] = status;
            if (status != JoinStatus.HIT && lookup.join().onMiss() == OnMiss.DEAD_LETTER) {
                context.forward(EnrichedEventFinisher.deadLetter(record, event.entityKey, event.value,
                        DeadLetter.Reason.JOIN_MISS, lookup.missDetail(key, status), null, event.source));
                return;
            }
        }
        context.forward(record.withValue(new Outcome.Pending(event)));
    }
}
