package io.cdcenricher.enricher.config;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The {@code kafka:} properties whose default is the enricher's rather than Kafka's. Any other property is passed
 * through as well; these are declared so that their defaults live here and the reference lists them.
 */
public final class KafkaKeys {

    public static final ConfigSection SECTION = ConfigSection.passThrough(RootKeys.KAFKA);

    public static final ConfigKey<String> PROCESSING_GUARANTEE = SECTION.key(
                    StreamsConfig.PROCESSING_GUARANTEE_CONFIG, ValueType.TEXT)
            .defaultValue(StreamsConfig.EXACTLY_ONCE_V2)
            .doc("Kafka Streams' processing guarantee; the enricher's default is exactly-once (Kafka's is "
                    + "`at_least_once`)")
            .define();
    /**
     * A member that stopped heart-beating (kill -9, a lost host) keeps its partitions this long before the others
     * take them over. Kafka's 45 s means most of a minute without output on those partitions; 15 s keeps that
     * short while tolerating pauses of several seconds (heartbeats run on their own thread). A crashed instance
     * that comes back within this time takes its place again at once (static membership, {@link InstanceIdentity}).
     */
    public static final ConfigKey<Integer> SESSION_TIMEOUT_MS = SECTION.key(
                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, ValueType.positiveInt("must be a positive whole number"))
            .defaultValue(15_000)
            .doc("how long (ms) a vanished instance keeps its partitions; Kafka's default is 45 s")
            .define();
    /**
     * How long a producer waits to fill a batch before it sends. Kafka Streams raises the producer's default (5 ms
     * since Kafka 4.0) to 100 ms, which under at-least-once adds up to 100 ms to every output record whose batch
     * does not fill: at 2,000 events/s it was most of the end-to-end latency (perf/README, "linger"). Under
     * exactly-once the commit interval (100 ms) bounds when output becomes visible anyway.
     */
    public static final ConfigKey<Integer> LINGER_MS = SECTION.key(ProducerConfig.LINGER_MS_CONFIG,
                    ValueType.nonNegativeInt("must be a whole number of 0 or more"))
            .defaultValue(5)
            .doc("how long (ms) the producers wait to fill a batch; Kafka Streams' default is 100 ms, the plain "
                    + "producer's 5 ms")
            .define();
    public static final ConfigKey<String> STATE_DIR = SECTION.key(StreamsConfig.STATE_DIR_CONFIG, ValueType.TEXT)
            .defaultDescription("`~/.cdc-enricher/state/<hash of this config file's path>`")
            .doc("where the local stores live (see \"Restarts, fail-over and local state\")")
            .define();
    public static final ConfigKey<String> GROUP_INSTANCE_ID = SECTION.key(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                    ValueType.TEXT)
            .defaultDescription("`<host>-<hash of the state directory>`")
            .doc("this instance's static identity in the group; `''` turns static membership off")
            .define();

    private KafkaKeys() {
    }
}
