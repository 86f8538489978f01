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
 * @param waiting          with {@code onMiss: wait}: how long an event waits for its row and what happens then;
 *                         {@link WaitConfig#NONE} otherwise
 * @param versioned        for a versioned (partitioned) table: its history retention and lookup grace;
 *                         {@link VersionedConfig#NONE} for a table that holds only the latest row
 * @param capture          how the capture feeding the table is watched (heartbeat topic, lag bound); never null
 * @param versionField     the row column that orders the row's versions; null for Debezium's source position
 *                         (or topic order where the rows carry none); see {@code RowVersion}
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
        WaitConfig waiting,
        VersionedConfig versioned,
        CaptureConfig capture,
        String versionField) {

    /** {@link #partitions} of a global join, or of a partitioned join whose count comes from the broker. */
    public static final int PARTITIONS_FROM_BROKER = 0;

    public JoinConfig {
        fields = List.copyOf(fields);
        appliesTo = Set.copyOf(appliesTo);
        waiting = waiting == null ? WaitConfig.NONE : waiting;
        versioned = versioned == null ? VersionedConfig.NONE : versioned;
        capture = capture == null ? CaptureConfig.NONE : capture;
    }

    /**
     * A join of the events' {@code foreignKey} against {@code topic} with every other setting at its default, to
     * be changed with the builder's setters (tests build joins this way; the loader uses the canonical constructor).
     */
    public static Builder builder(String name, String topic, String foreignKey) {
        return new Builder(name, topic, foreignKey);
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
        return versioned.isVersioned();
    }

    /** This join with the partition count of its table topic, as read from the broker. */
    public JoinConfig withPartitions(int count) {
        return new JoinConfig(name, topic, foreignKey, tableKeyField, fields, materialization, store, appliesTo,
                onMiss, as, count, deletedRetention, waiting, versioned, capture, versionField);
    }

    /** Builds a {@link JoinConfig} from the defaults declared in {@link JoinKeys}; {@code as} defaults to the name. */
    public static final class Builder {
        private final String name;
        private final String topic;
        private final String foreignKey;
        private String tableKeyField = JoinKeys.TABLE_KEY_FIELD.defaultValue();
        private List<String> fields = JoinKeys.FIELDS.defaultValue();
        private Materialization materialization = JoinKeys.MATERIALIZATION.defaultValue();
        private StoreType store = JoinKeys.STORE.defaultValue();
        private Set<String> appliesTo = Set.copyOf(EventKeys.TYPES.defaultValue());
        private OnMiss onMiss = JoinKeys.ON_MISS.defaultValue();
        private String as;
        private int partitions = JoinKeys.PARTITIONS.defaultValue();
        private Duration deletedRetention = JoinKeys.DELETED_RETENTION.defaultValue();
        private WaitConfig waiting = WaitConfig.NONE;
        private VersionedConfig versioned = VersionedConfig.NONE;
        private CaptureConfig capture = CaptureConfig.NONE;
        private String versionField;

        private Builder(String name, String topic, String foreignKey) {
            this.name = name;
            this.topic = topic;
            this.foreignKey = foreignKey;
        }

        public Builder tableKeyField(String value) {
            tableKeyField = value;
            return this;
        }

        public Builder fields(List<String> value) {
            fields = value;
            return this;
        }

        public Builder materialization(Materialization value) {
            materialization = value;
            return this;
        }

        public Builder store(StoreType value) {
            store = value;
            return this;
        }

        public Builder appliesTo(Set<String> value) {
            appliesTo = value;
            return this;
        }

        public Builder onMiss(OnMiss value) {
            onMiss = value;
            return this;
        }

        public Builder as(String value) {
            as = value;
            return this;
        }

        public Builder partitions(int value) {
            partitions = value;
            return this;
        }

        public Builder deletedRetention(Duration value) {
            deletedRetention = value;
            return this;
        }

        /** {@code onMiss: wait} with these settings. */
        public Builder waiting(WaitConfig value) {
            onMiss = OnMiss.WAIT;
            waiting = value;
            return this;
        }

        public Builder versioned(VersionedConfig value) {
            versioned = value;
            return this;
        }

        public Builder capture(CaptureConfig value) {
            capture = value;
            return this;
        }

        public Builder versionField(String value) {
            versionField = value;
            return this;
        }

        public JoinConfig build() {
            return new JoinConfig(name, topic, foreignKey, tableKeyField, fields, materialization, store, appliesTo,
                    onMiss, as == null ? name : as, partitions, deletedRetention, waiting, versioned, capture,
                    versionField);
        }
    }
}
