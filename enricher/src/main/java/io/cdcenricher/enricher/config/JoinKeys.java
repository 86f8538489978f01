package io.cdcenricher.enricher.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/** The keys of each item of {@code joins}: one left join of the events against a reference table. */
public final class JoinKeys {

    public static final ConfigSection SECTION = ConfigSection.itemsOf(RootKeys.JOINS);

    /** Names used in store names and status entries: keep them to characters safe everywhere. */
    private static final Pattern JOIN_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    /** A top-level column of a row (no path: Debezium rows are flat). */
    private static final Pattern COLUMN_NAME = Pattern.compile("[^.\\s]+");
    /** A legal Kafka topic name. */
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public static final ConfigKey<String> NAME = SECTION.key("name", ValueType.TEXT)
            .required()
            .check(Check.matching(JOIN_NAME,
                    "must start with a letter or digit and use only letters, digits, '_', '-', '.'"))
            .doc("unique join name; names the join's store and its entry in the `enrichment` status")
            .define();
    public static final ConfigKey<String> TOPIC = SECTION.key("topic", ValueType.TEXT)
            .required()
            .doc("the compacted table topic written by Debezium (key = primary key, value = row or tombstone)")
            .define();
    public static final ConfigKey<String> FOREIGN_KEY = SECTION.key("foreignKey", ValueType.TEXT)
            .required()
            .check(Check.fieldPath())
            .doc("dotted path of the foreign key in the event, e.g. `order.customer.id`")
            .define();
    public static final ConfigKey<String> TABLE_KEY_FIELD = SECTION.key("tableKeyField", ValueType.TEXT)
            .defaultValue("id")
            .doc("the field holding the key when table keys arrive as JSON objects (`{\"id\":42}`)")
            .define();
    public static final ConfigKey<List<String>> FIELDS = SECTION.key("fields", ValueType.TEXT_LIST)
            .defaultValue(List.of())
            .defaultDescription("every column")
            .check(Check.noDuplicates())
            .doc("the row fields to copy into the event (Debezium's `__*` fields never are)")
            .define();
    public static final ConfigKey<String> AS = SECTION.key("as", ValueType.TEXT)
            .defaultDescription("the join's `name`")
            .doc("the output field holding the copied row; `" + EnricherConfigLoader.STATUS_FIELD + "` is reserved")
            .define();
    public static final ConfigKey<List<String>> APPLIES_TO = SECTION.key("appliesTo", ValueType.TEXT_LIST)
            .defaultDescription("every type of `event.types`")
            .doc("the event types the join applies to; the others pass through with status `skipped`")
            .define();
    public static final ConfigKey<Materialization> MATERIALIZATION = SECTION.key("materialization",
                    ValueType.oneOf(Materialization.class, Materialization::yamlName))
            .defaultValue(Materialization.GLOBAL)
            .doc("`global`: every instance holds the whole table; `partitioned`: each task holds its partitions of "
                    + "it and events are re-keyed by the foreign key (below)")
            .define();
    public static final ConfigKey<Integer> PARTITIONS = SECTION.key("partitions", ValueType.positiveInt(
                    "must be a positive whole number (the partition count of the join's table topic)"))
            .defaultValue(JoinConfig.PARTITIONS_FROM_BROKER)
            .defaultDescription("read from the broker at start-up")
            .doc("partitioned joins only: the table topic's partition count the topology is built for")
            .define();
    public static final ConfigKey<StoreType> STORE = SECTION.key("store",
                    ValueType.oneOf(StoreType.class, StoreType::yamlName))
            .defaultValue(StoreType.ROCKSDB)
            .doc("where the table is held: RocksDB, or the heap for small hot tables")
            .define();
    public static final ConfigKey<String> VERSION_FIELD = SECTION.key("versionField", ValueType.TEXT)
            .defaultDescription("Debezium's source position (`__source_file`, `__source_pos`, `__source_row`), "
                    + "else topic order")
            .check(Check.matching(COLUMN_NAME, "must be a top-level column name of the row, e.g. version or "
                    + "updated_at"))
            .doc("the row column that orders a row's versions: a whole number or an ISO-8601 timestamp with an "
                    + "offset; a table record older than or equal to the stored row is skipped and counted in "
                    + "`enricher_table_stale_skipped_total` (see \"Ordering, time and deletes\")")
            .define();
    public static final ConfigKey<Duration> DELETED_RETENTION = SECTION.key("deletedRetention", ValueType.DURATION)
            .defaultValue(Duration.ofHours(24))
            .doc("how long a deleted row reports `deleted`; an event later than the deletion by more sees `miss`")
            .define();
    public static final ConfigKey<OnMiss> ON_MISS = SECTION.key("onMiss",
                    ValueType.oneOf(OnMiss.class, OnMiss::yamlName))
            .defaultValue(OnMiss.EMIT)
            .doc("a missing or deleted row: `emit` (status `miss` or `deleted`), `dead-letter` (reason `join-miss`) "
                    + "or, global joins only, `wait`: hold the event until its row arrives (`late`) or `maxWait` "
                    + "passes (see \"Late data, start-up and replay\")")
            .define();
    public static final ConfigKey<Duration> MAX_WAIT = SECTION.key("maxWait", ValueType.DURATION)
            .defaultValue(Duration.ofSeconds(30))
            .doc("with `onMiss: wait`: how long an event waits, wall-clock from its arrival")
            .define();
    public static final ConfigKey<OnTimeout> ON_TIMEOUT = SECTION.key("onTimeout",
                    ValueType.oneOf(OnTimeout.class, OnTimeout::yamlName))
            .defaultDescription("`waitBuffer.onTimeout`")
            .doc("with `onMiss: wait`: at `maxWait`, `emit` (status `miss`) or `dead-letter` (reason `wait-timeout`)")
            .define();
    public static final ConfigKey<ObjectNode> VERSIONED = SECTION.key("versioned", ValueType.MAPPING)
            .defaultDescription("none")
            .doc("partitioned joins only: keep row versions and join as of the event time (see \"Late data, "
                    + "start-up and replay\")")
            .define();
    public static final ConfigKey<String> HEARTBEAT_TOPIC = SECTION.key("heartbeatTopic", ValueType.TEXT)
            .check(Check.matching(TOPIC_NAME, "must be a Kafka topic name (letters, digits, '.', '_', '-'), "
                    + "e.g. __debezium-heartbeat.demo"))
            .doc("the Debezium heartbeat topic of the join's connector (`__debezium-heartbeat.<topic.prefix>`): "
                    + "tells a quiet table from stopped capture (see connectors/README.md, \"Heartbeats\")")
            .define();
    public static final ConfigKey<Duration> MAX_CAPTURE_LAG = SECTION.key("maxCaptureLag", ValueType.DURATION)
            .defaultDescription("none: measured, never judged")
            .doc("with `heartbeatTopic`: the capture lag beyond which `/health` reports DEGRADED naming the join, "
                    + "e.g. `15s`")
            .define();

    private JoinKeys() {
    }
}
