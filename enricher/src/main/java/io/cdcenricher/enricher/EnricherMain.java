package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.InvalidConfigException;
import io.cdcenricher.enricher.config.JoinConfig;
import io.cdcenricher.enricher.config.SecretMasker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import io.cdcenricher.enricher.internals.StartupGate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enricher: {@code java -jar enricher.jar --config FILE}.
 *
 * <p>Exit codes: 0 after a normal shutdown, 1 when the application fails (broker unreachable, missing topics,
 * a fatal stream error), 2 for bad arguments or an invalid configuration.
 */
public final class EnricherMain {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    static final String USAGE = String.join("\n",
            "Usage: java -jar enricher.jar --config FILE",
            "",
            "Enriches the events topic with reference tables, as configured in FILE (YAML).",
            "",
            "Options:",
            "  --config FILE   the enricher configuration (required)",
            "  --help          show this help");

    private static final Logger log = LoggerFactory.getLogger(EnricherMain.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    // Leave the group on a clean stop: otherwise the partitions wait out the session timeout (45 s) before a
    // restarted or surviving instance gets them.
    private static final CloseOptions CLOSE_OPTIONS = CloseOptions.timeout(CLOSE_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private EnricherMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Everything {@link #main} does, returning the exit code instead of exiting. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path configFile;
        try {
            configFile = parseArgs(args);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (configFile == null) {
            out.println(USAGE);
            return EXIT_OK;
        }
        EnricherConfig config;
        try {
            config = EnricherConfigLoader.load(configFile);
        } catch (IOException e) {
            err.println("Error: cannot read the configuration file " + configFile + ": " + e);
            return EXIT_USAGE;
        } catch (InvalidConfigException e) {
            err.println("Error: invalid configuration in " + configFile + ":");
            e.problems().forEach(problem -> err.println("  " + problem));
            return EXIT_USAGE;
        }
        try {
            return runStreams(config);
        } catch (StartupException e) {
            log.error("{}", e.getMessage());
            err.println("Error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    /** The config file, or null when help was asked for. */
    static Path parseArgs(String[] args) {
        Path config = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            } else if (arg.equals("--config")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--config needs a file name");
                }
                config = Path.of(args[++i]);
            } else if (arg.startsWith("--config=")) {
                config = Path.of(arg.substring("--config=".length()));
            } else {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("--config FILE is required");
        }
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("no such file: " + config);
        }
        return config;
    }

    private static int runStreams(EnricherConfig loaded) {
        EnricherConfig config = loaded;
        Properties props = config.streamsProperties();
        log.info("Starting enricher '{}' with {} join(s); settings: {}", config.applicationId(),
                config.joins().size(), SecretMasker.masked(props));
        config = requireTopics(props, config);
        StartupGate gate = startupGate(props, config);
        if (!gate.closed().isEmpty()) {
            log.info("Start-up gate: events wait for partitioned table partitions {} to be read to their end",
                    gate.closed());
        }
        Topology topology = EnrichmentTopology.build(config, gate);
        log.debug("Topology:\n{}", topology.describe());

        KafkaStreams streams = new KafkaStreams(topology, props);
        // For the readiness endpoint to come: RUNNING and every assigned partitioned table caught up.
        EnricherReadiness readiness = new EnricherReadiness(streams, gate);
        CountDownLatch stopped = new CountDownLatch(1);
        boolean[] failed = {false};
        streams.setStateListener((newState, oldState) -> {
            log.info("Kafka Streams state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.RUNNING) {
                log.info("Readiness: {}", readiness.describe());
            }
            if (newState == KafkaStreams.State.ERROR) {
                failed[0] = true;
            }
            if (newState == KafkaStreams.State.NOT_RUNNING || newState == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; shutting down this instance", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Shutdown requested; closing (timeout {})", CLOSE_TIMEOUT);
            streams.close(CLOSE_OPTIONS);
        }, "enricher-shutdown"));

        streams.start();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        streams.close(CLOSE_OPTIONS);
        return failed[0] ? EXIT_FAILED : EXIT_OK;
    }

    /**
     * Kafka Streams stops with INCOMPLETE_SOURCE_TOPIC_METADATA, far from the cause, when a source topic is
     * missing; say which one before starting. Missing output topics are only warned about: the broker may
     * create them on first write. Returns the configuration with the partition counts of partitioned joins'
     * table topics, checked against what the configuration says ({@link #withCopartitioning}).
     */
    static EnricherConfig requireTopics(Properties streamsProps, EnricherConfig config) {
        Set<String> sources = new LinkedHashSet<>();
        sources.add(config.topics().events());
        config.joins().stream().map(JoinConfig::topic).forEach(sources::add);
        List<String> sinks = List.of(config.topics().output(), config.topics().deadLetter());

        Properties adminProps = new Properties();
        adminProps.putAll(new StreamsConfig(streamsProps).getAdminConfigs("enricher-startup-check"));
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        Set<String> existing;
        Map<String, Integer> partitions = new HashMap<>();
        try (Admin admin = Admin.create(adminProps)) {
            existing = admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            List<String> tables = config.joins().stream().filter(JoinConfig::isPartitioned).map(JoinConfig::topic)
                    .filter(existing::contains).toList();
            if (!tables.isEmpty()) {
                admin.describeTopics(tables).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .forEach((topic, description) -> partitions.put(topic, description.partitions().size()));
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new StartupException("cannot list topics on " + config.bootstrapServers() + " to check them: "
                    + (e.getCause() != null ? e.getCause() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while checking topics");
        }
        List<String> missing = sources.stream().filter(topic -> !existing.contains(topic)).toList();
        if (!missing.isEmpty()) {
            throw new StartupException("missing input topic(s) " + missing + " on " + config.bootstrapServers()
                    + "; create them (the events topic and every joins[].topic) before starting the enricher");
        }
        sinks.stream().filter(topic -> !existing.contains(topic)).forEach(topic ->
                log.warn("Output topic '{}' does not exist yet; writes fail unless the broker auto-creates it", topic));
        return withCopartitioning(config, partitions);
    }

    /**
     * A partitioned join finds its rows only if the events re-keyed by foreign key land in the partition of the
     * table topic that holds the row, so the repartition topic must have exactly as many partitions as the table
     * topic. Fills in the broker's count where the configuration has none, and refuses to start where the
     * configured count (what the topology would be built for) differs from the broker's.
     *
     * @param partitionsByTopic partition count per table topic of a partitioned join, as the broker reports it
     */
    static EnricherConfig withCopartitioning(EnricherConfig config, Map<String, Integer> partitionsByTopic) {
        List<JoinConfig> joins = new ArrayList<>();
        for (JoinConfig join : config.joins()) {
            if (!join.isPartitioned()) {
                joins.add(join);
                continue;
            }
            Integer actual = partitionsByTopic.get(join.topic());
            if (actual == null) {
                throw new StartupException("join '" + join.name() + "': cannot read the partition count of its "
                        + "table topic '" + join.topic() + "'");
            }
            if (join.partitions() != JoinConfig.PARTITIONS_FROM_BROKER && join.partitions() != actual) {
                throw new StartupException("join '" + join.name() + "' (materialization: partitioned) is configured "
                        + "for " + join.partitions() + " partition(s) but its table topic '" + join.topic() + "' has "
                        + actual + "; events re-keyed into " + join.partitions() + " partition(s) would miss rows "
                        + "held in other partitions. Set joins[].partitions to " + actual + " (or remove it to use "
                        + "the broker's count) and reset the application if its repartition topic already exists");
            }
            joins.add(join.withPartitions(actual));
        }
        return config.withJoins(joins);
    }

    /**
     * The start-up gate of the partitioned joins' tables: for each table partition, the offset of its last data
     * record now (below the read_committed end offset; transaction markers are skipped) and the application's
     * committed offset on it. See {@link StartupGate}.
     */
    static StartupGate startupGate(Properties streamsProps, EnricherConfig config) {
        List<String> tables = config.joins().stream().filter(JoinConfig::isPartitioned).map(JoinConfig::topic)
                .distinct().toList();
        if (tables.isEmpty()) {
            return StartupGate.open();
        }
        StreamsConfig streamsConfig = new StreamsConfig(streamsProps);
        Properties adminProps = new Properties();
        adminProps.putAll(streamsConfig.getAdminConfigs("enricher-startup-gate"));
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        Map<TopicPartition, Long> begin = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        Map<TopicPartition, Long> committed = new HashMap<>();
        try (Admin admin = Admin.create(adminProps)) {
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(tables).allTopicNames().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((topic, description) -> description.partitions().forEach(p -> {
                        earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest());
                        latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest());
                    }));
            ListOffsetsOptions readCommitted = new ListOffsetsOptions(IsolationLevel.READ_COMMITTED);
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin
                    .listOffsets(earliest, readCommitted).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .entrySet()) {
                begin.put(e.getKey(), e.getValue().offset());
            }
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin
                    .listOffsets(latest, readCommitted).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .entrySet()) {
                end.put(e.getKey(), e.getValue().offset());
            }
            Map<TopicPartition, OffsetAndMetadata> groupOffsets = admin
                    .listConsumerGroupOffsets(config.applicationId()).partitionsToOffsetAndMetadata()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            groupOffsets.forEach((partition, offset) -> {
                if (offset != null) {
                    committed.put(partition, offset.offset());
                }
            });
        } catch (ExecutionException | TimeoutException e) {
            throw new StartupException("cannot read the end offsets of the partitioned tables " + tables + ": "
                    + (e.getCause() != null ? e.getCause() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while reading the end offsets of the partitioned tables");
        }
        Properties consumerProps = new Properties();
        consumerProps.putAll(streamsConfig.getGlobalConsumerConfigs("enricher-startup-gate"));
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<TopicPartition, Long> lastData = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                Long last = lastDataOffset(consumer, e.getKey(), begin.getOrDefault(e.getKey(), 0L), e.getValue());
                if (last != null) {
                    lastData.put(e.getKey(), last);
                }
            }
        }
        return StartupGate.atStartup(lastData, committed);
    }

    /**
     * The offset of the last record a read_committed consumer delivers below {@code end}, or null when there is
     * none. Reads a growing tail window ({@code 1, 16, 256, ...} offsets) so that trailing transaction markers and
     * aborted records are stepped over without reading the whole partition.
     */
    private static Long lastDataOffset(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long begin,
                                       long end) {
        if (end <= begin) {
            return null;
        }
        consumer.assign(List.of(partition));
        long window = 1;
        while (true) {
            long from = Math.max(begin, end - window);
            consumer.seek(partition, from);
            Long last = null;
            long deadline = System.currentTimeMillis() + ADMIN_TIMEOUT.toMillis();
            while (consumer.position(partition) < end) {
                if (System.currentTimeMillis() > deadline) {
                    throw new StartupException("cannot read the tail of table partition " + partition);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                    if (record.offset() < end) {
                        last = record.offset();
                    }
                }
            }
            if (last != null || from == begin) {
                return last;
            }
            window *= 16;
        }
    }

    /** A start-up precondition that failed, with a message for the operator. */
    static final class StartupException extends RuntimeException {
        StartupException(String message) {
            super(message, null, false, false);
        }
    }
}
