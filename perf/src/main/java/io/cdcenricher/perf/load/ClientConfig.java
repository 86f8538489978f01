package io.cdcenricher.perf.load;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.cdcenricher.enricher.config.SecretMasker;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * The connection to the cluster: a Kafka client properties file, as {@code kafka-console-producer
 * --producer.config} takes it ({@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*}, {@code ssl.*},
 * ...), passed unchanged to the producer, the consumer and the admin client. Secrets can stay out of the file with
 * Kafka's config providers ({@code config.providers=file} and {@code ${file:/path:key}}), which the clients resolve
 * themselves. The tool prints and reports these settings only through {@link #masked()}.
 */
public record ClientConfig(Path file, Properties properties) {

    /** Reads the file; {@code bootstrap.servers} is required. */
    public static ClientConfig read(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        }
        if (props.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "").isBlank()) {
            throw new IllegalArgumentException("--client-config " + file + ": bootstrap.servers is missing");
        }
        return new ClientConfig(file, props);
    }

    /** A copy, for one client to add its own settings to. */
    public Properties copy() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    public String bootstrapServers() {
        return properties.getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** The settings with every secret-looking value masked, as the enricher logs its own. */
    public Map<String, String> masked() {
        return new TreeMap<>(SecretMasker.masked(properties));
    }
}
