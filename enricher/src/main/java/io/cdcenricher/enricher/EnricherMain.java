package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import io.cdcenricher.enricher.config.InvalidConfigException;
import io.cdcenricher.enricher.config.JoinConfig;
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
import org.apache.kafka.streams.StreamsConfig;
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
            "  --config FILE        the enricher configuration (required)",
            "  --http-host HOST     address of /health, /ready, /metrics, /tables (default 127.0.0.1)",
            "  --http-port PORT     port of those endpoints (default 8080; 0 = any free port; -1 = off)",
            "  --help               show this help",
            "",
            "Also: java -jar enricher.jar run|validate|reset --help");

    private static final Logger log = LoggerFactory.getLogger(EnricherMain.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private EnricherMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Everything {@link #main} does, returning the exit code instead of exiting. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Arguments arguments;
        try {
            arguments = parseArgs(args);
        } catch (IllegalArgumentException e) {
            err.println("Error: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (arguments == null) {
            out.println(USAGE);
            return EXIT_OK;
        }
        return start(arguments.config(), arguments.http(), err);
    }

    /** Where the operations endpoints listen; a negative port turns them off. */
    public record HttpOptions(String host, int port) {
        public static final HttpOptions DEFAULT = new HttpOptions("127.0.0.1", 8080);

        boolean enabled() {
            return port >= 0;
        }
    }

    /** The parsed command line of the run form. */
    record Arguments(Path config, HttpOptions http) {
    }

    /** Loads and validates the configuration, then runs the application until it stops. */
    static int start(Path configFile, HttpOptions http, PrintStream err) {
        EnricherConfig config = loadOrExplain(configFile, err);
        if (config == null) {
            return EXIT_USAGE;
        }
        try {
            return new EnricherApplication(config, http).run();
        } catch (StartupException e) {
            log.error("{}", e.getMessage());
            err.println("Error: " + e.getMessage());
            return EXIT_FAILED;
        }
    }

    /** The validated configuration, or null after printing every problem with its key. */
    static EnricherConfig loadOrExplain(Path configFile, PrintStream err) {
        EnricherConfig config;
        try {
            config = EnricherConfigLoader.load(configFile);
        } catch (IOException e) {
            err.println("Error: cannot read the configuration file " + configFile + ": " + e);
            return null;
        } catch (InvalidConfigException e) {
            err.println("Error: invalid configuration in " + configFile + ":");
            e.problems().forEach(problem -> err.println("  " + problem));
            return null;
        }
        return config;
    }

    /** The arguments, or null when help was asked for. */
    static Arguments parseArgs(String[] args) {
        Path config = null;
        String httpHost = HttpOptions.DEFAULT.host();
        int httpPort = HttpOptions.DEFAULT.port();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (arg.equals("--help") || arg.equals("-h")) {
                return null;
            }
            if (!List.of("--config", "--http-host", "--http-port").contains(name)) {
                throw new IllegalArgumentException("unknown argument '" + arg + "'");
            }
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + (name.equals("--config") ? " needs a file name"
                        : " needs a value"));
            }
            switch (name) {
                case "--config" -> config = Path.of(value);
                case "--http-host" -> httpHost = value;
                default -> {
                    try {
                        httpPort = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--http-port must be a number, not '" + value + "'");
                    }
                }
            }
        }
        if (config == null) {
            throw new IllegalArgumentException("--config FILE is required");
        }
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("no such file: " + config);
        }
        return new Arguments(config, new HttpOptions(httpHost, httpPort));
    }

    /**
     * Kafka Streams stops with INCOMPLETE_SOURCE_TOPIC_METADATA, far from the cause, when a source topic is
     * missing; say which one before starting. Missing output topics are only warned about: the broker may
     * create them on first write. Returns the configuration with the partition counts of partitioned joins'
     * table topics, checked against what the configuration says ({@link #withCopartitioning}).
     */
    static EnricherConfig requireTopics(Properties streamsProps, EnricherConfig config) {
        try (Admin admin = Admin.create(startupAdminProperties(streamsProps, "enricher-startup-check"))) {
            return requireTopics(admin, config);
        }
    }

    /** Admin settings for the start-up checks: the application's own, with a bounded API timeout. */
    static Properties startupAdminProperties(Properties streamsProps, String clientId) {
        Properties adminProps = new Properties();
        adminProps.putAll(new StreamsConfig(streamsProps).getAdminConfigs(clientId));
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return adminProps;
    }

    /** As {@link #requireTopics(Properties, EnricherConfig)} with an Admin client the caller owns. */
    static EnricherConfig requireTopics(Admin admin, EnricherConfig config) {
        Set<String> sources = new LinkedHashSet<>();
        sources.add(config.topics().events());
        config.joins().stream().map(JoinConfig::topic).forEach(sources::add);
        List<String> sinks = List.of(config.topics().output(), config.topics().deadLetter());

        Set<String> existing;
        Map<String, Integer> partitions = new HashMap<>();
        try {
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
        try (Admin admin = Admin.create(startupAdminProperties(streamsProps, "enricher-startup-gate"))) {
            return startupGate(admin, streamsProps, config);
        }
    }

    /** As {@link #startupGate(Properties, EnricherConfig)} with an Admin client the caller owns. */
    static StartupGate startupGate(Admin admin, Properties streamsProps, EnricherConfig config) {
        List<String> tables = config.joins().stream().filter(JoinConfig::isPartitioned).map(JoinConfig::topic)
                .distinct().toList();
        if (tables.isEmpty()) {
            return StartupGate.open();
        }
        StreamsConfig streamsConfig = new StreamsConfig(streamsProps);
        Map<TopicPartition, Long> begin = new HashMap<>();
        Map<TopicPartition, Long> end = new HashMap<>();
        Map<TopicPartition, Long> committed = new HashMap<>();
        try {
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
