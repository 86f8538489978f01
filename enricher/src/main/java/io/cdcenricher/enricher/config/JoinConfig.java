package io.cdcenricher.enricher.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One left join of the events against a reference table.
 *
 * @param name             unique join name; names the store and the status entry in {@code enrichment}
 * @param topic            the compacted table topic (Debezium: key = primary key, value = row or tombstone)
 * @param foreignKey       dotted path of the foreign key in the event, e.g. {@code order.customer.id}
 * @param tableKeyField    the field holding the key when the table key is a JSON object like {@code {"id":42}}
 * @param fields           row fields to copy; empty = all fields except Debezium's {@code __*} fields
 * @param materialization  a global store on every instance, or a per-partition store (needs a re-key)
 * @param store            RocksDB or in-memory
 * @param appliesTo        event types the join applies to; others get status {@code skipped}
 * @param onMiss           what a miss (or deleted row) does
 * @param as               name of the output field holding the copied row
 * @param partitions       for a partitioned join, the partition count of its table topic the topology is built
 *                         for; {@link #PARTITIONS_FROM_BROKER} when it is to be read from the broker at start-up
 * @param deletedRetention how long a deletion marker reports {@code deleted}; an event later than the deletion
 *                         by more than this sees {@code miss}
 * @param maxWait          with {@code onMiss: wait}: how long (wall-clock, from arrival) an event waits for its
 *                         row; {@code null} otherwise
 * @param onTimeout        with {@code onMiss: wait}: what happens at {@code maxWait}; {@code null} otherwise
 * @param historyRetention for a versioned (partitioned) table: how far back lookups as of the event time are
 *                         answered; {@code null} for a table that holds only the latest row
 * @param grace            for a versioned table: how long (in event time) a lookup holds an event so that table
 *                         changes with an earlier source time that arrive later are still seen (KIP-923);
 *                         {@link Duration#ZERO} joins at once; {@code null} for a table that is not versioned
 * @param capture          how the capture feeding the table is watched (heartbeat topic, lag bound); never null
 */
public record JoinConfig(
        String name,
        String topic,
        String foreignKey,
        String tableKeyField,
        List<String> fields,
        Materialization materialization,
        StoreType store,
        Set<String> appliesTo,
        OnMiss onMiss,
        String as,
        int partitions,
        Duration deletedRetention,
        Duration maxWait,
        OnTimeout onTimeout,
        Duration historyRetention,
        Duration grace,
        CaptureConfig capture) {

    public static final String DEFAULT_TABLE_KEY_FIELD = "id";
    /** {@link #partitions} of a global join, or of a partitioned join whose count comes from the broker. */
    public static final int PARTITIONS_FROM_BROKER = 0;
    public static final Duration DEFAULT_DELETED_RETENTION = Duration.ofHours(24);
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(30);

    public JoinConfig {
        fields = List.copyOf(fields);
        appliesTo = Set.copyOf(appliesTo);
        capture = capture == null ? CaptureConfig.NONE : capture;
    }

    /** A join with the defaults for the options added later: no partition count, 24 h deletion markers. */
    public JoinConfig(String name, String topic, String foreignKey, String tableKeyField, List<String> fields,
                      Materialization materialization, StoreType store, Set<String> appliesTo, OnMiss onMiss,
                      String as) {
        this(name, topic, foreignKey, tableKeyField, fields, materialization, store, appliesTo, onMiss, as,
                PARTITIONS_FROM_BROKER, DEFAULT_DELETED_RETENTION, null, null, null, null, CaptureConfig.NONE);
    }

    public boolean appliesTo(String eventType) {
        return appliesTo.contains(eventType);
    }

    public boolean isPartitioned() {
        return materialization == Materialization.PARTITIONED;
    }

    public boolean waits() {
        return onMiss == OnMiss.WAIT;
    }

    /** Whether the table keeps history and is looked up as of the event time (KIP-889 versioned store). */
    public boolean isVersioned() {
        return historyRetention != null;
    }

    /** This join with the partition count of its table topic, as read from the broker. */
    public JoinConfig withPartitions(int count) {
        return new JoinConfig(name, topic, foreignKey, tableKeyField, fields, materialization, store, appliesTo,
                onMiss, as, count, deletedRetention, maxWait, onTimeout, historyRetention, grace, capture);
    }
}
