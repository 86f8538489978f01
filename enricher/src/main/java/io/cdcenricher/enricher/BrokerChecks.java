package io.cdcenricher.enricher;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.JoinConfig;
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
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the broker must offer before the enricher starts: every input topic exists, and every partitioned join's
 * table topic has the partition count its repartition topic is built for. Failures are
 * {@link BrokerCheckException}s that name the topic or join and what to do.
 */
final class BrokerChecks {

    private static final Logger log = LoggerFactory.getLogger(BrokerChecks.class);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private BrokerChecks() {
    }

    /** Admin settings for the start-up checks: the application's own, with a bounded API timeout. */
    static Properties adminProperties(Properties streamsProps, String clientId) {
        Properties adminProps = new Properties();
        adminProps.putAll(new StreamsConfig(streamsProps).getAdminConfigs(clientId));
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return adminProps;
    }

    /** As {@link #requireTopics(Admin, EnricherConfig)} with an Admin client of its own. */
    static EnricherConfig requireTopics(Properties streamsProps, EnricherConfig config) {
        try (Admin admin = Admin.create(adminProperties(streamsProps, "enricher-startup-check"))) {
            return requireTopics(admin, config);
        }
    }

    /**
     * Kafka Streams stops with INCOMPLETE_SOURCE_TOPIC_METADATA, far from the cause, when a source topic is
     * missing; say which one before starting. Missing output topics are only warned about: the broker may
     * create them on first write. Returns the configuration with the partition counts of partitioned joins'
     * table topics, checked against what the configuration says ({@link #withCopartitioning}).
     */
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
            throw new BrokerCheckException("cannot list topics on " + config.bootstrapServers() + " to check them: "
                    + (e.getCause() != null ? e.getCause() : e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerCheckException("interrupted while checking topics");
        }
        List<String> missing = sources.stream().filter(topic -> !existing.contains(topic)).toList();
        if (!missing.isEmpty()) {
            throw new BrokerCheckException("missing input topic(s) " + missing + " on " + config.bootstrapServers()
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
                throw new BrokerCheckException("join '" + join.name() + "': cannot read the partition count of its "
                        + "table topic '" + join.topic() + "'");
            }
            if (join.partitions() != JoinConfig.PARTITIONS_FROM_BROKER && join.partitions() != actual) {
                throw new BrokerCheckException("join '" + join.name() + "' (materialization: partitioned) is "
                        + "configured for " + join.partitions() + " partition(s) but its table topic '" + join.topic()
                        + "' has " + actual + "; events re-keyed into " + join.partitions() + " partition(s) would "
                        + "miss rows held in other partitions. Set joins[].partitions to " + actual + " (or remove it "
                        + "to use the broker's count) and reset the application if its repartition topic already "
                        + "exists");
            }
            joins.add(join.withPartitions(actual));
        }
        return config.withJoins(joins);
    }
}
