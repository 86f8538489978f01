package io.cdcenricher.enricher.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/** The top-level keys of the configuration, in the order the reference lists them. */
public final class RootKeys {

    public static final ConfigSection SECTION = ConfigSection.root();

    /** The smallest {@link #ROCKSDB_MEMORY}: below it the write buffers of a few stores would flush constantly. */
    public static final long MIN_ROCKSDB_MEMORY_BYTES = 16L * 1024 * 1024;

    public static final ConfigKey<String> APPLICATION_ID = SECTION.key("applicationId", ValueType.TEXT)
            .required()
            .doc("Kafka Streams `application.id`: names the consumer group, the internal topics and the state")
            .define();
    public static final ConfigKey<String> BOOTSTRAP_SERVERS = SECTION.key("bootstrapServers", ValueType.TEXT)
            .required()
            .doc("Kafka `bootstrap.servers`")
            .define();
    /** Application id and bootstrap servers have keys of their own, so that the loader can check them. */
    public static final ConfigKey<Map<String, String>> KAFKA = SECTION.key("kafka", ValueType.properties(Map.of(
                    StreamsConfig.APPLICATION_ID_CONFIG, "set it with the top-level key " + APPLICATION_ID.name(),
                    StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "set it with the top-level key "
                            + BOOTSTRAP_SERVERS.name())))
            .defaultValue(Map.of())
            .defaultDescription("none")
            .doc("Kafka Streams and client properties, passed through unchanged (they win over the enricher's "
                    + "defaults); write a dotted property name as one key")
            .define();
    public static final ConfigKey<ObjectNode> TOPICS = SECTION.key("topics", ValueType.MAPPING)
            .required()
            .doc("the application's own topics")
            .define();
    public static final ConfigKey<ObjectNode> EVENT = SECTION.key("event", ValueType.MAPPING)
            .defaultDescription("the defaults below")
            .doc("how events and their types are recognised")
            .define();
    public static final ConfigKey<Integer> MAX_RECORD_BYTES = SECTION.key("maxRecordBytes",
                    ValueType.positiveInt("must be a positive whole number of bytes"))
            .defaultValue(1_000_000)
            .doc("an enriched record above this size (key + value) goes to the dead-letter topic")
            .define();
    /**
     * The one bound on RocksDB's memory in this process: every store (global, partitioned, versioned, the wait
     * buffer) shares one block cache of this size, and their write buffers are charged to it
     * ({@link io.cdcenricher.enricher.rocksdb.BoundedRocksDbMemory}). Without it Kafka Streams gives each store
     * its own 50 MB block cache and up to 3 x 16 MB write buffers, so memory grew with the number of stores and
     * tasks. 256 MB holds the index and filter blocks and the hot rows of tables of millions of rows (a miss reads
     * the OS page cache, not the broker) and, with the 512 MB heap ops/ and perf/ give the jar, keeps the process
     * under about 0.8 GB plus the JVM's own memory.
     */
    public static final ConfigKey<Long> ROCKSDB_MEMORY = SECTION.key("rocksdbMemory", ValueType.BYTE_SIZE)
            .defaultValue(256L * 1024 * 1024)
            .check(Check.that(bytes -> bytes >= MIN_ROCKSDB_MEMORY_BYTES,
                    "must be at least 16MB (it holds every store's write buffers and index blocks)"))
            .doc("the memory all RocksDB stores of this process share: one block cache (with index and filter "
                    + "blocks) that their write buffers are charged to; not the JVM heap (see \"Memory\")")
            .define();
    public static final ConfigKey<ArrayNode> JOINS = SECTION.key("joins", ValueType.listOf("joins"))
            .required("at least one join")
            .check(Check.that(joins -> !joins.isEmpty(), "must list at least one join"))
            .doc("the joins against reference tables, applied in this order")
            .define();
    public static final ConfigKey<ObjectNode> FILTER = SECTION.key("filter", ValueType.MAPPING)
            .defaultDescription("none")
            .doc("drops events that fail one predicate, on purpose and counted, e.g. "
                    + "`{appliesTo: [create], field: amount, op: gte, value: 10}` (below)")
            .define();
    public static final ConfigKey<ObjectNode> WAIT_BUFFER = SECTION.key("waitBuffer", ValueType.MAPPING)
            .defaultDescription("the defaults below")
            .doc("bounds, per task, of the buffer holding the events of joins with `onMiss: wait`")
            .define();
    public static final ConfigKey<WireFormat> FORMAT = SECTION.key("format",
                    ValueType.oneOf(WireFormat.class, WireFormat::yamlName))
            .defaultValue(WireFormat.JSON)
            .doc("the wire format of the events, table and output topics (see \"Schema registry (Avro)\")")
            .define();
    public static final ConfigKey<ObjectNode> REGISTRY = SECTION.key("registry", ValueType.MAPPING)
            .defaultDescription("required with `format: avro`")
            .doc("the Apicurio registry holding the writer schemas; only with `format: avro`")
            .define();
    public static final ConfigKey<String> OUTPUT_SCHEMA = SECTION.key("outputSchema", ValueType.TEXT)
            .defaultDescription("required with `format: avro`")
            .doc("the Avro record schema of the enriched events, a file path or "
                    + "`classpath:/schemas/enriched-order.avsc`, read at start-up; only with `format: avro`")
            .define();

    private RootKeys() {
    }
}
