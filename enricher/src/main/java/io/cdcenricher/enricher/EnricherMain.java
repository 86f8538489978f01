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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
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
        Topology topology = EnrichmentTopology.build(config);
        log.debug("Topology:\n{}", topology.describe());

        KafkaStreams streams = new KafkaStreams(topology, props);
        CountDownLatch stopped = new CountDownLatch(1);
        boolean[] failed = {false};
        streams.setStateListener((newState, oldState) -> {
            log.info("Kafka Streams state {} -> {}", oldState, newState);
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

    /** A start-up precondition that failed, with a message for the operator. */
    static final class StartupException extends RuntimeException {
        StartupException(String message) {
            super(message, null, false, false);
        }
    }
}
