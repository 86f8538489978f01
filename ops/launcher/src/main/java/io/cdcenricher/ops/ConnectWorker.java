package io.cdcenricher.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Kafka Connect distributed worker ({@code ConnectDistributed worker.properties}) whose plugin path holds the
 * Debezium MariaDB and MySQL connectors.
 */
public final class ConnectWorker extends StackPart {

    private final StackSecrets secrets;
    private final ConnectRestClient rest;

    public ConnectWorker(StackSettings settings, StackLayout layout, StackSecrets secrets) {
        super("connect", settings, layout);
        this.secrets = secrets;
        this.rest = new ConnectRestClient(settings.connectUrl());
    }

    @Override
    public String address() {
        return settings.connectUrl();
    }

    @Override
    public void up(Duration timeout) {
        if (!process().isRunning()) {
            ManagedProcess.requireFreePort(name(), settings.host(), settings.connectPort(), "CONNECT_PORT");
            Path config = PropertiesFile.write(dir.resolve("worker.properties"), workerProperties());
            Path log4j = Log4jConfig.write(settings.runDir());
            process().start(JavaCommand.of(layout.kafkaLibs(), log4j, "1g",
                    "org.apache.kafka.connect.cli.ConnectDistributed", config.toString()),
                    Map.of(StackSecrets.USER_ENV, StackSecrets.CDC_USER,
                            StackSecrets.PASSWORD_ENV, secrets.cdcPassword()), dir);
        }
        Readiness.await(process(), timeout, "REST API lists the Debezium connectors at " + address(), this::isHealthy);
    }

    private Map<String, String> workerProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", settings.bootstrapServers());
        p.put("group.id", "cdc-enricher-connect");
        p.put("listeners", "http://" + settings.host() + ":" + settings.connectPort());
        p.put("rest.advertised.host.name", settings.host());
        p.put("rest.advertised.port", Integer.toString(settings.connectPort()));
        p.put("plugin.path", layout.connectPluginPath().toString());
        // Every plugin here has a service manifest: REST is up in about 4 s instead of 10-16 s.
        p.put("plugin.discovery", "service_load");
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("key.converter.schemas.enable", "false");
        p.put("value.converter.schemas.enable", "false");
        p.put("config.storage.topic", "_connect-configs");
        p.put("offset.storage.topic", "_connect-offsets");
        p.put("status.storage.topic", "_connect-status");
        p.put("config.storage.replication.factor", "1");
        p.put("offset.storage.replication.factor", "1");
        p.put("status.storage.replication.factor", "1");
        p.put("offset.storage.partitions", "5");
        p.put("status.storage.partitions", "1");
        p.put("offset.flush.interval.ms", "1000");
        // Secrets reach connectors through providers, never as literals in a connector config.
        p.put("config.providers", "env,file");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        p.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        return p;
    }

    @Override
    public boolean isHealthy() {
        return ManagedProcess.isListening(settings.host(), settings.connectPort()) && rest.hasPlugin("MariaDbConnector");
    }
}
