package io.cdcenricher.enricher.internals;

import io.cdcenricher.enricher.config.JoinConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The grace period of a versioned lookup (KIP-923 semantics, as the DSL's stream-table join with a versioned
 * table and a grace period): an event is not joined when it arrives but held until the lookup's stream time has
 * passed its time + grace, so a table change with an earlier source commit time that reaches the task a little
 * after the event is still seen by it. One buffer per task and join.
 *
 * <p>Time is the time the as-of lookup uses ({@code event.timestampField}, else the record timestamp), so the
 * guarantee is stated in the same clock as the table's versions. Stream time is the largest such time among the
 * events this lookup has seen in its task; table records do not move it (the task's own stream time would:
 * it also covers the table topic).
 *
 * <ul>
 *   <li>{@link #advance} is called for each event: it moves stream time and releases every held event whose
 *       time + grace is at or before stream time, in time order (ties in arrival order), then says whether the new
 *       event must be held. An event whose time + grace is already at or before stream time is not held: the
 *       caller joins it at once (with grace 0 that is every event).</li>
 *   <li>Nothing is released without a new event: there is no wall-clock flush, as in the DSL.</li>
 *   <li>The store (RocksDB, changelogged: {@code <applicationId>-grace-buffer-<join>-changelog}) is keyed by time
 *       (sign bit flipped, big-endian, so bytes sort as times) and an arrival sequence number; values are
 *       {@link BufferedEvent}s. On init it is scanned once: stream time is restored as the largest held time, which
 *       is exact while the grace is unchanged (the event that set stream time is always still held).</li>
 * </ul>
 */
final class GraceBuffer {

    /** Joins a released event (the processor). */
    interface Releaser {
        void release(BufferedEvent event);
    }

    private static final int KEY_LENGTH = 2 * Long.BYTES;
    private static final int RELEASE_BATCH = 1000;
    private static final long NONE = Long.MIN_VALUE;

    private final long graceMs;
    private KeyValueStore<Bytes, byte[]> store;
    private long streamTime = NONE;
    /** The smallest held time; {@link Long#MAX_VALUE} when nothing is held. */
    private long earliestHeld = Long.MAX_VALUE;
    private long nextSeq;

    GraceBuffer(long graceMs) {
        this.graceMs = graceMs;
    }

    static String storeName(JoinConfig join) {
        return "grace-buffer-" + join.name();
    }

    static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder(JoinConfig join) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName(join)), Serdes.Bytes(),
                Serdes.ByteArray());
    }

    /** Attaches the store and restores stream time, the earliest held time and the sequence from it. */
    void init(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
        streamTime = NONE;
        earliestHeld = Long.MAX_VALUE;
        nextSeq = 0;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                ByteBuffer key = ByteBuffer.wrap(all.next().key.get());
                long time = key.getLong() ^ Long.MIN_VALUE;
                earliestHeld = Math.min(earliestHeld, time);
                streamTime = Math.max(streamTime, time);
                nextSeq = Math.max(nextSeq, key.getLong() + 1);
            }
        }
    }

    /**
     * Moves stream time to {@code time} if it is later, releases the held events that are due, and returns whether
     * an event at {@code time} must be held ({@link #hold}) rather than joined at once.
     */
    boolean advance(long time, Releaser releaser) {
        streamTime = Math.max(streamTime, time);
        long watermark = streamTime - graceMs <= streamTime ? streamTime - graceMs : Long.MIN_VALUE;
        while (earliestHeld <= watermark) {
            releaseUpTo(watermark, releaser);
        }
        return time > watermark;
    }

    void hold(long time, BufferedEvent event) {
        byte[] key = ByteBuffer.allocate(KEY_LENGTH).putLong(time ^ Long.MIN_VALUE).putLong(nextSeq++).array();
        store.put(Bytes.wrap(key), BufferedEventSerde.serialize(event));
        earliestHeld = Math.min(earliestHeld, time);
    }

    /** Releases up to one batch of held events with a time at or before {@code watermark}, in key order. */
    private void releaseUpTo(long watermark, Releaser releaser) {
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        long next = Long.MAX_VALUE;
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                long time = ByteBuffer.wrap(entry.key.get()).getLong() ^ Long.MIN_VALUE;
                if (time > watermark || due.size() == RELEASE_BATCH) {
                    next = time;
                    break;
                }
                due.add(entry);
            }
        }
        earliestHeld = next;
        for (KeyValue<Bytes, byte[]> entry : due) {
            store.delete(entry.key);
            releaser.release(BufferedEventSerde.deserialize(entry.value));
        }
    }
}
