package io.cdcenricher.enricher.internals;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The start-up gate of partitioned tables: no event is looked up in a partitioned table partition before that
 * partition has been read up to where it ended when the application started.
 *
 * <p>Why it is needed: a partitioned table's store is restored from the table topic only up to the application's
 * committed offset on it; whatever the table topic holds beyond that (all of it, for a new application) is read
 * as ordinary input of the task, interleaved with the events by timestamp. Events older than the table's records
 * (a backlog; a Debezium snapshot stamped with today's time) would be joined before the rows they need are in the
 * store. Global stores need no gate: Kafka Streams reads them to their end offsets before any stream thread
 * processes a record.
 *
 * <p>For each table partition the application captures at start-up the offset of the last data record below the
 * end offset (a transaction marker has an offset but is never delivered, so the end offset itself may never be
 * seen). The partition's gate opens when its updater has processed that offset, or at once when the committed
 * offset is already beyond it (the restore covers it) or the partition holds no data. While it is closed the
 * partition's lookup holds events, in order, in a changelogged buffer. Shared by the stream threads of one
 * application instance; thread-safe.
 */
public final class StartupGate {

    /** Per table partition still to catch up: the offset its updater must reach. */
    private final Map<TopicPartition, Long> targets = new ConcurrentHashMap<>();
    /** Table partitions whose lookup runs on this instance (assigned tasks). */
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();

    private StartupGate(Map<TopicPartition, Long> targets) {
        this.targets.putAll(targets);
    }

    /** A gate that is open for every partition (tests, or an application without partitioned joins). */
    public static StartupGate open() {
        return new StartupGate(Map.of());
    }

    /**
     * A gate for the given partitions.
     *
     * @param lastDataOffsets per table partition, the offset of its last data record at start-up (absent: no data)
     * @param committed       per table partition, the application's committed offset (the next offset to read)
     */
    public static StartupGate atStartup(Map<TopicPartition, Long> lastDataOffsets,
                                        Map<TopicPartition, Long> committed) {
        Map<TopicPartition, Long> targets = new ConcurrentHashMap<>();
        lastDataOffsets.forEach((partition, last) -> {
            Long next = committed.get(partition);
            if (next == null || next <= last) {
                targets.put(partition, last);
            }
        });
        return new StartupGate(targets);
    }

    /** The table partitions still closed (all partitions, not only this instance's). */
    public Set<TopicPartition> closed() {
        return Set.copyOf(targets.keySet());
    }

    /** Whether every table partition whose lookup runs on this instance is open. */
    public boolean assignedOpen() {
        return assigned.stream().noneMatch(targets::containsKey);
    }

    boolean isOpen(TopicPartition partition) {
        return targets.isEmpty() || !targets.containsKey(partition);
    }

    /** The updater processed {@code offset} of the table partition. */
    void consumed(String topic, int partition, long offset) {
        if (targets.isEmpty()) {
            return;
        }
        TopicPartition key = new TopicPartition(topic, partition);
        Long target = targets.get(key);
        if (target != null && offset >= target) {
            targets.remove(key);
        }
    }

    void assign(TopicPartition partition) {
        assigned.add(partition);
    }

    void unassign(TopicPartition partition) {
        assigned.remove(partition);
    }
}
