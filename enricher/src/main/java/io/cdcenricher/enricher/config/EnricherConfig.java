package io.cdcenricher.enricher.config;

import io.cdcenricher.enricher.rocksdb.BoundedRocksDbMemory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

/**
 * The validated enricher configuration, as loaded by {@link EnricherConfigLoader}.
 *
 * @param applicationId     Kafka Streams {@code application.id}
 * @param bootstrapServers  Kafka {@code bootstrap.servers}
 * @param kafka             client and streams properties passed through unchanged (they win over defaults)
 * @param topics            the events, output and dead-letter topics
 * @param event             how the event type is found and which types are known
 * @param maxRecordBytes    enriched records above this size (key + value) are dead-lettered
 * @param joins             the joins, applied in this order
 * @param filter            drops events that fail a predicate, on purpose and counted; {@code null} for none
 * @param waitBuffer        bounds of the buffer holding events of joins with {@code onMiss: wait}
 * @param format            the wire format of the events, table and output topics
 * @param avro              the registry and output schema with {@code format: avro}; {@code null} with JSON
 * @param rocksdbMemory     bytes of memory all RocksDB stores of the process share (block cache and write buffers)
 */
public record EnricherConfig(
        String applicationId,
        String bootstrapServers,
        Map<String, String> kafka,
        TopicsConfig topics,
        EventConfig event,
        int maxRecordBytes,
        List<JoinConfig> joins,
        FilterConfig filter,
        WaitBufferConfig waitBuffer,
        WireFormat format,
        AvroConfig avro,
        long rocksdbMemory) {

    public EnricherConfig {
        if (format == WireFormat.AVRO && avro == null) {
            throw new IllegalArgumentException("format avro needs its registry and output schema");
        }
        if (rocksdbMemory < RootKeys.MIN_ROCKSDB_MEMORY_BYTES) {
            throw new IllegalArgumentException("rocksdbMemory below " + RootKeys.MIN_ROCKSDB_MEMORY_BYTES + " bytes");
        }
        kafka = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(kafka));
        joins = List.copyOf(joins);
    }

    /** A JSON configuration. */
    public EnricherConfig(String applicationId, String bootstrapServers, Map<String, String> kafka,
                          TopicsConfig topics, EventConfig event, int maxRecordBytes, List<JoinConfig> joins,
                          FilterConfig filter, WaitBufferConfig waitBuffer) {
        this(applicationId, bootstrapServers, kafka, topics, event, maxRecordBytes, joins, filter, waitBuffer,
                WireFormat.JSON, null, RootKeys.ROCKSDB_MEMORY.defaultValue());
    }

    /** A configuration with the default wait buffer. */
    public EnricherConfig(String applicationId, String bootstrapServers, Map<String, String> kafka,
                          TopicsConfig topics, EventConfig event, int maxRecordBytes, List<JoinConfig> joins,
                          FilterConfig filter) {
        this(applicationId, bootstrapServers, kafka, topics, event, maxRecordBytes, joins, filter,
                WaitBufferConfig.DEFAULTS);
    }

    /** The same configuration with other joins (e.g. partition counts read from the broker). */
    public EnricherConfig withJoins(List<JoinConfig> newJoins) {
        return new EnricherConfig(applicationId, bootstrapServers, kafka, topics, event, maxRecordBytes, newJoins,
                filter, waitBuffer, format, avro, rocksdbMemory);
    }

    /** The same configuration with another {@code kafka:} map (e.g. with the instance's defaults filled in). */
    public EnricherConfig withKafka(Map<String, String> newKafka) {
        return new EnricherConfig(applicationId, bootstrapServers, newKafka, topics, event, maxRecordBytes, joins,
                filter, waitBuffer, format, avro, rocksdbMemory);
    }

    public boolean isAvro() {
        return format == WireFormat.AVRO;
    }

    public boolean hasPartitionedJoins() {
        return joins.stream().anyMatch(JoinConfig::isPartitioned);
    }

    /** Whether any join holds events in the wait buffer ({@code onMiss: wait}). */
    public boolean hasWaitingJoins() {
        return joins.stream().anyMatch(JoinConfig::waits);
    }

    /**
     * The properties for {@code KafkaStreams}: our defaults first, then the pass-through {@code kafka} map,
     * so an operator can override any of them.
     */
    public Properties streamsProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(KafkaKeys.PROCESSING_GUARANTEE.name(), KafkaKeys.PROCESSING_GUARANTEE.defaultValue());
        // Our processor dead-letters every input problem it can recognise. These handlers catch what it
        // cannot (a bug, an unexpected exception): the record goes to the same dead-letter topic with
        // Kafka Streams' own error headers, and the application keeps running instead of stopping the task.
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class.getName());
        // The same for the global thread that loads the tables (Kafka 5.0 makes this the default).
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetter());
        props.put(KafkaKeys.SESSION_TIMEOUT_MS.name(),
                Integer.toString(KafkaKeys.SESSION_TIMEOUT_MS.defaultValue()));
        props.put(KafkaKeys.LINGER_MS.name(), Integer.toString(KafkaKeys.LINGER_MS.defaultValue()));
        // One memory bound for every RocksDB store of the process; a rocksdb.config.setter under kafka: replaces it.
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
        props.put(BoundedRocksDbMemory.BOUND_CONFIG, Long.toString(rocksdbMemory));
        props.putAll(kafka);
        if (InstanceIdentity.DYNAMIC_MEMBERSHIP.equals(props.getProperty(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG))) {
            props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        }
        return props;
    }
}
