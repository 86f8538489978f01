package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.WaitBufferMetrics;
import io.cdcenricher.enricher.config.WaitBufferConfig;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Value;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The events held by joins with {@code onMiss: wait}, one buffer per task: a changelogged store (key = an 8-byte
 * sequence number, so the store iterates in arrival order; value = a {@link BufferedEvent}) and an in-memory index of
 * it, rebuilt from the store whenever the task is (re)initialized.
 *
 * <p>Rules, per task:
 * <ul>
 *   <li>An entity with held events has a FIFO queue; every later event of that entity joins the queue, whether
 *       or not its own rows are there, so an entity's events leave in arrival order. Other entities pass.</li>
 *   <li>{@link #check} (a wall-clock punctuation) walks each queue from its head: the head leaves when every row
 *       it waits for has arrived ({@link Release#READY}), or at its deadline ({@link Release#TIMEOUT}: arrival +
 *       the largest {@code maxWait} of its missing joins); an event that waits for no row of its own leaves as
 *       soon as it is the head. The walk stops at the first head that must still wait.</li>
 *   <li>Full buffer ({@code maxRecords} or {@code maxBytes} per task): the queue of the entity with the oldest held
 *       event is released whole, in order ({@link Release#OVERFLOW}), until the new event fits. An event that
 *       cannot fit in an empty buffer is released at once ({@link Release#OVERFLOW}), after its entity's queue.</li>
 * </ul>
 *
 * <p>What a released event becomes (joined now, {@code late}, {@code miss} or a dead letter) is the processor's
 * business ({@link Releaser}).
 */
final class WaitBuffer {

    static final String STORE_NAME = "wait-buffer";

    /** Why a held event leaves the buffer. */
    enum Release {
        /** Every row it waited for is there (or it waited only behind its entity's earlier events). */
        READY,
        /** Its {@code maxWait} passed. */
        TIMEOUT,
        /** The buffer was full. */
        OVERFLOW
    }

    /** Joins and emits a released event (the processor). */
    interface Releaser {
        void release(BufferedEvent event, Release why);
    }

    /** Whether join {@code join}'s row for {@code key} is there now (hit or deleted: no longer a miss). */
    interface RowCheck {
        boolean arrived(int join, byte[] key);
    }

    /** One held event in the index. */
    private record Entry(long seq, Bytes entity, long heldAt, long deadline, int size, byte[][] waitKeys) {
    }

    private final WaitBufferConfig config;
    /** Per join: its {@code maxWait} in millis, 0 for joins that do not wait. */
    private final long[] maxWaitMs;
    private final Map<Bytes, ArrayDeque<Entry>> queues = new LinkedHashMap<>();
    private final TreeMap<Long, Entry> bySeq = new TreeMap<>();
    private KeyValueStore<Bytes, byte[]> store;
    private Releaser releaser;
    private RowCheck rowCheck;
    private long nextSeq;
    private long heldBytes;
    private StreamsMetrics metrics;
    private Sensor recordsSensor;
    private Sensor bytesSensor;
    private Sensor oldestAgeSensor;

    WaitBuffer(WaitBufferConfig config, long[] maxWaitMs) {
        this.config = config;
        this.maxWaitMs = maxWaitMs.clone();
    }

    /** The changelogged store (RocksDB; the changelog topic is {@code <applicationId>-wait-buffer-changelog}). */
    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE_NAME),
                org.apache.kafka.common.serialization.Serdes.Bytes(),
                org.apache.kafka.common.serialization.Serdes.ByteArray());
    }

    /** Attaches the store and rebuilds the index from it; registers the gauges. */
    void init(KeyValueStore<Bytes, byte[]> store, Releaser releaser, RowCheck rowCheck, StreamsMetrics metrics,
              TaskId taskId) {
        this.store = store;
        this.releaser = releaser;
        this.rowCheck = rowCheck;
        queues.clear();
        bySeq.clear();
        heldBytes = 0;
        nextSeq = 0;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> stored = all.next();
                long seq = ByteBuffer.wrap(stored.key.get()).getLong();
                index(seq, BufferedEventSerde.deserialize(stored.value), stored.value.length);
                nextSeq = seq + 1;
            }
        }
        this.metrics = metrics;
        String thread = Thread.currentThread().getName();
        Map<String, String> tags = Map.of("thread-id", thread, "task-id", taskId.toString());
        recordsSensor = gauge(thread, taskId, WaitBufferMetrics.HELD_RECORDS, "events held in the wait buffer", tags);
        bytesSensor = gauge(thread, taskId, WaitBufferMetrics.HELD_BYTES, "serialized bytes held in the wait buffer",
                tags);
        oldestAgeSensor = gauge(thread, taskId, WaitBufferMetrics.OLDEST_HELD_AGE_MS,
                "wall-clock age of the oldest held event, 0 when none is held", tags);
    }

    private Sensor gauge(String thread, TaskId taskId, String name, String description, Map<String, String> tags) {
        Sensor sensor = metrics.addSensor(thread + "." + taskId + "." + name, Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, WaitBufferMetrics.GROUP, description, tags), new Value());
        return sensor;
    }

    void close() {
        if (metrics != null) {
            metrics.removeSensor(recordsSensor);
            metrics.removeSensor(bytesSensor);
            metrics.removeSensor(oldestAgeSensor);
            metrics = null;
        }
    }

    /** Whether the entity has held events, so its next event must queue behind them. Cheap when none are held. */
    boolean holds(byte[] entityKey) {
        return !queues.isEmpty() && queues.containsKey(Bytes.wrap(entityKey));
    }

    /** Holds the event, making room first if the buffer is full (see the class comment). */
    void hold(BufferedEvent event, long now) {
        byte[] stored = BufferedEventSerde.serialize(event);
        while (!bySeq.isEmpty() && (bySeq.size() + 1 > config.maxRecords()
                || heldBytes + stored.length > config.maxBytes())) {
            releaseQueue(bySeq.firstEntry().getValue().entity(), Release.OVERFLOW);
        }
        if (!holds(event.key) && (!event.waitsForRow() || stored.length > config.maxBytes())) {
            // Its entity's queue was just released to make room: nothing is ahead of it any more.
            releaser.release(event, event.waitsForRow() ? Release.OVERFLOW : Release.READY);
            recordSizes(now);
            return;
        }
        long seq = nextSeq++;
        store.put(seqKey(seq), stored);
        index(seq, event, stored.length);
        recordSizes(now);
    }

    /** The punctuation: releases every queue head whose rows arrived or whose deadline passed. */
    void check(long now) {
        if (!queues.isEmpty()) {
            for (Bytes entity : new ArrayList<>(queues.keySet())) {
                ArrayDeque<Entry> queue = queues.get(entity);
                while (queue != null && !queue.isEmpty()) {
                    Entry head = queue.peekFirst();
                    Release why = readiness(head, now);
                    if (why == null) {
                        break;
                    }
                    releaseHead(entity, why);
                    queue = queues.get(entity);
                }
            }
        }
        recordSizes(now);
    }

    int size() {
        return bySeq.size();
    }

    private Release readiness(Entry entry, long now) {
        boolean missing = false;
        for (int i = 0; i < entry.waitKeys().length && !missing; i++) {
            missing = entry.waitKeys()[i] != null && !rowCheck.arrived(i, entry.waitKeys()[i]);
        }
        if (!missing) {
            return Release.READY;
        }
        return now >= entry.deadline() ? Release.TIMEOUT : null;
    }

    private void releaseQueue(Bytes entity, Release why) {
        while (queues.containsKey(entity)) {
            releaseHead(entity, why);
        }
    }

    private void releaseHead(Bytes entity, Release why) {
        ArrayDeque<Entry> queue = queues.get(entity);
        Entry head = queue.pollFirst();
        if (queue.isEmpty()) {
            queues.remove(entity);
        }
        bySeq.remove(head.seq());
        heldBytes -= head.size();
        Bytes key = seqKey(head.seq());
        byte[] stored = store.get(key);
        store.delete(key);
        releaser.release(BufferedEventSerde.deserialize(stored), why);
    }

    private void index(long seq, BufferedEvent event, int size) {
        long wait = 0;
        for (int i = 0; i < event.waitKeys.length; i++) {
            if (event.waitKeys[i] != null && i < maxWaitMs.length) {
                wait = Math.max(wait, maxWaitMs[i]);
            }
        }
        Entry entry = new Entry(seq, Bytes.wrap(event.key), event.heldAt, event.heldAt + wait, size, event.waitKeys);
        queues.computeIfAbsent(entry.entity(), e -> new ArrayDeque<>()).addLast(entry);
        bySeq.put(seq, entry);
        heldBytes += size;
    }

    private void recordSizes(long now) {
        if (recordsSensor == null) {
            return;
        }
        recordsSensor.record(bySeq.size());
        bytesSensor.record(heldBytes);
        oldestAgeSensor.record(bySeq.isEmpty() ? 0 : Math.max(0, now - bySeq.firstEntry().getValue().heldAt()));
    }

    private static Bytes seqKey(long seq) {
        return Bytes.wrap(ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
    }
}
