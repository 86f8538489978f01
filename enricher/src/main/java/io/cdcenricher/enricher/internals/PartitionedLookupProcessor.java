package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.DeadLetter;
import io.cdcenricher.enricher.JoinStatus;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.config.OnMiss;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedKeyValueStore;

/**
 * A partitioned join's lookup: runs in the task that owns the table partition of the event's foreign key (the
 * events arrive re-keyed by it), fills in the join's status and row, and forwards the pending event, or
 * dead-letters the original event under {@code onMiss: dead-letter}. Dead letters keep the entity key, the
 * original value and the original source position.
 *
 * <p>Until the {@link StartupGate} of its table partition opens, it holds every event, in arrival order, in a
 * changelogged buffer ({@code startup-gate-<join>}), and releases them in that order once the partition has caught
 * up (checked on each event and on a wall-clock punctuation).
 *
 * <p>A versioned lookup then passes every event (skipped types and entity tombstones too, so they keep their place)
 * through its {@link GraceBuffer} ({@code grace-buffer-<join>}), which holds it until the lookup's stream time has
 * reached its time + {@code versioned.grace}; with grace 0 nothing is held and each event is joined at once.
 */
final class PartitionedLookupProcessor implements Processor<byte[], PartlyEnrichedEvent, byte[], Outcome> {

    /** How often a closed gate is checked without new events. */
    static final java.time.Duration GATE_CHECK_INTERVAL = java.time.Duration.ofMillis(100);
    private static final int DRAIN_BATCH = 1000;

    private final int joinIndex;
    private final String topic;
    private final String gateStoreName;
    private final StartupGate gate;
    private final PartlyEnrichedEventSerde serde = new PartlyEnrichedEventSerde();
    private TopicPartition partition;
    private KeyValueStore<Bytes, byte[]> gateBuffer;
    private long nextSeq;
    private boolean buffered;
    private final ForeignKeyLookup lookup;
    private final String storeName;
    private ProcessorContext<byte[], Outcome> context;
    private final boolean versioned;
    private KeyValueStore<Bytes, byte[]> store;
    private VersionedKeyValueStore<Bytes, byte[]> versionedStore;
    /** The versioned lookup's grace period; {@code null} for a latest-row table. */
    private final GraceBuffer grace;

    PartitionedLookupProcessor(JoinConfig join, int joinIndex, StartupGate gate) {
        this.joinIndex = joinIndex;
        this.topic = join.topic();
        this.gateStoreName = gateStoreName(join);
        this.gate = gate;
        this.lookup = new ForeignKeyLookup(join);
        this.storeName = ReferenceTable.storeName(join);
        this.versioned = join.isVersioned();
        this.grace = versioned ? new GraceBuffer(join.versioned().grace().toMillis()) : null;
    }

    /** The buffer of events held while the start-up gate is closed. */
    static String gateStoreName(JoinConfig join) {
        return "startup-gate-" + join.name();
    }

    static StoreBuilder<KeyValueStore<Bytes, byte[]>> gateStoreBuilder(JoinConfig join) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(gateStoreName(join)), Serdes.Bytes(),
                Serdes.ByteArray());
    }

    /** The processor name the table's store is connected to. */
    static String name(JoinConfig join) {
        return "lookup-" + join.name();
    }

    @Override
    public void init(ProcessorContext<byte[], Outcome> context) {
        this.context = context;
        if (versioned) {
            this.versionedStore = context.getStateStore(storeName);
            grace.init(context.getStateStore(GraceBuffer.storeName(lookup.join())));
        } else {
            this.store = context.getStateStore(storeName);
        }
        this.partition = new TopicPartition(topic, context.taskId().partition());
        this.gateBuffer = context.getStateStore(gateStoreName);
        buffered = false;
        nextSeq = 0;
        try (KeyValueIterator<Bytes, byte[]> all = gateBuffer.all()) {
            while (all.hasNext()) {
                nextSeq = ByteBuffer.wrap(all.next().key.get()).getLong() + 1;
                buffered = true;
            }
        }
        gate.assign(partition);
        context.schedule(GATE_CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> releaseIfOpen());
    }

    @Override
    public void close() {
        gate.unassign(partition);
    }

    @Override
    public void process(Record<byte[], PartlyEnrichedEvent> record) {
        if (buffered || !gate.isOpen(partition)) {
            releaseIfOpen();
            if (buffered || !gate.isOpen(partition)) {
                gateBuffer.put(Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(nextSeq++).array()),
                        BufferedEventSerde.serialize(heldOf(record)));
                buffered = true;
                return;
            }
        }
        afterGate(record);
    }

    /** Releases the held events in arrival order once the table partition has caught up. */
    private void releaseIfOpen() {
        while (buffered && gate.isOpen(partition)) {
            List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
            try (KeyValueIterator<Bytes, byte[]> all = gateBuffer.all()) {
                while (all.hasNext() && batch.size() < DRAIN_BATCH) {
                    batch.add(all.next());
                }
            }
            for (KeyValue<Bytes, byte[]> entry : batch) {
                gateBuffer.delete(entry.key);
                afterGate(recordOf(BufferedEventSerde.deserialize(entry.value)));
            }
            buffered = batch.size() == DRAIN_BATCH;
        }
    }

    /** Joins the event now, or holds it in the grace buffer; releases the held events that became due first. */
    private void afterGate(Record<byte[], PartlyEnrichedEvent> record) {
        if (grace == null) {
            lookUp(record);
            return;
        }
        long time = record.value().eventTime(record.timestamp());
        if (grace.advance(time, held -> lookUp(recordOf(held)))) {
            grace.hold(time, heldOf(record));
        } else {
            lookUp(record);
        }
    }

    private BufferedEvent heldOf(Record<byte[], PartlyEnrichedEvent> record) {
        return new BufferedEvent(record.key(), serde.serialize(null, record.value()), record.timestamp(),
                record.headers(), null, context.currentSystemTimeMs(), new byte[0][]);
    }

    private Record<byte[], PartlyEnrichedEvent> recordOf(BufferedEvent held) {
        return new Record<>(held.key, serde.deserialize(null, held.value), held.timestamp,
                new RecordHeaders(held.headers.toArray()));
    }

    private void lookUp(Record<byte[], PartlyEnrichedEvent> record) {
        PartlyEnrichedEvent event = record.value();
        if (event.value != null && event.statuses[joinIndex] == null) {
            byte[] key = event.foreignKeys[joinIndex];
            long eventTime = event.eventTime(record.timestamp());
            JoinStatus status = versioned ? lookup.lookUpAsOf(versionedStore, key, eventTime, event.rows, joinIndex)
                    : lookup.lookUp(store, key, eventTime, event.rows, joinIndex);
            event.statuses[joinIndex] = status;
            if (!status.found() && lookup.join().onMiss() == OnMiss.DEAD_LETTER) {
                context.forward(OutputRecords.deadLetter(record, event.entityKey, event.value,
                        DeadLetter.Reason.JOIN_MISS, lookup.missDetail(key, status), null, event.source));
                return;
            }
        }
        context.forward(record.withValue(new Outcome.Pending(event)));
    }
}
