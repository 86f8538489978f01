package io.cdcenricher.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A Kafka Connect distributed worker ({@code ConnectDistributed worker.properties}) whose plugin path holds the
 * Debezium MariaDB and MySQL connectors and, when asked for, Apicurio's Avro converter. A cluster
 * ({@link StackShape}) runs several in one group ({@value #GROUP_ID}), each with a REST port of its own: worker 1 is
 * named {@code connect} (its folder, pid and log file), worker N {@code connect-N}.
 */
public final class ConnectWorker extends StackPart {

    /** Which plugins the worker loads, chosen per start. */
    public enum Plugins {
        /**
         * Debezium only. Every plugin has a service manifest, so {@code plugin.discovery=service_load}: REST is up in
         * about 4 s instead of 10-16 s.
         */
        DEBEZIUM("service_load"),
        /**
         * Debezium and Apicurio's converters. The converter jar has no service manifest, so the worker must scan the
         * class files ({@code plugin.discovery=hybrid_warn}), which is slower.
         */
        DEBEZIUM_AND_APICURIO_CONVERTER("hybrid_warn");

        private final String discovery;

        Plugins(String discovery) {
            this.discovery = discovery;
        }

        public String discovery() {
            return discovery;
        }
    }

    static final String APICURIO_AVRO_CONVERTER = "io.apicurio.registry.utils.converter.AvroConverter";
    /** The group every worker of the stack joins. */
    public static final String GROUP_ID = "cdc-enricher-connect";

    private final StackSecrets secrets;
    private final int number;
    private final int port;
    private final ConnectRestClient rest;

    /** Worker 1 of the stack. */
    public ConnectWorker(StackSettings settings, StackLayout layout, StackSecrets secrets) {
        this(settings, layout, secrets, 1);
    }

    /** Worker {@code number} (from 1) of the stack, on the REST port {@code settings.connectPorts()} gives it. */
    public ConnectWorker(StackSettings settings, StackLayout layout, StackSecrets secrets, int number) {
        super(number == 1 ? "connect" : "connect-" + number, settings, layout);
        this.secrets = secrets;
        this.number = number;
        this.port = settings.connectPorts().get(number - 1);
        this.rest = new ConnectRestClient(settings.connectUrl(port));
    }

    public int number() {
        return number;
    }

    /** The worker id Connect reports in a task's status ({@code worker_id}): its advertised REST host and port. */
    public String workerId() {
        return settings.host() + ":" + port;
    }

    /** This worker's REST API. */
    public ConnectRestClient rest() {
        return rest;
    }

    @Override
    public String address() {
        return settings.connectUrl(port);
    }

    /** Starts a worker with Debezium only, or checks the running one whatever plugins it was started with. */
    @Override
    public void up(Duration timeout) {
        up(timeout, runningPlugins().orElse(Plugins.DEBEZIUM));
    }

    /**
     * Starts a worker loading {@code plugins}, or checks the running one. A running worker that lacks the requested
     * Apicurio converter is an error here: stop it first ({@link Stack#upWithRegistry} does, and says so).
     */
    public void up(Duration timeout, Plugins plugins) {
        start(plugins);
        awaitReady(timeout);
    }

    /** Launches the worker with {@code plugins} unless it runs; does not wait. */
    public void start(Plugins plugins) {
        Optional<Plugins> running = runningPlugins();
        if (running.isPresent() && plugins == Plugins.DEBEZIUM_AND_APICURIO_CONVERTER
                && running.get() != Plugins.DEBEZIUM_AND_APICURIO_CONVERTER) {
            throw new StackException(name() + " runs without the Apicurio converter (plugin.discovery="
                    + running.get().discovery() + "): stop it (ops/stack down) or start with ops/stack up --with-registry");
        }
        if (running.isEmpty()) {
            ManagedProcess.requireFreePort(name(), settings.host(), port, number == 1 ? "CONNECT_PORT"
                    : "CONNECT_PORT (worker " + number + ": +" + StackSettings.CLUSTER_PORT_STEP * (number - 1) + ")");
            Path config = PropertiesFile.write(workerConfig(), workerProperties(plugins));
            Path log4j = Log4jConfig.write(settings.runDir());
            process().start(JavaCommand.of(layout.kafkaLibs(), log4j, "1g",
                    "org.apache.kafka.connect.cli.ConnectDistributed", config.toString()),
                    Map.of(StackSecrets.USER_ENV, StackSecrets.CDC_USER,
                            StackSecrets.PASSWORD_ENV, secrets.cdcPassword()), dir);
        }
    }

    /** Waits until the REST API lists the plugins the worker was started with. */
    public void awaitReady(Duration timeout) {
        Plugins effective = runningPlugins().orElse(Plugins.DEBEZIUM);
        Readiness.await(process(), timeout, "REST API lists the Debezium connectors"
                + (effective == Plugins.DEBEZIUM ? "" : " and the Apicurio converter") + " at " + address(),
                () -> answers(effective));
    }

    /**
     * The plugins of the running worker, read from the worker.properties it was started with (written at each start);
     * empty when no worker runs.
     */
    public Optional<Plugins> runningPlugins() {
        if (!process().isRunning()) {
            return Optional.empty();
        }
        Properties started = new Properties();
        try (Reader in = Files.newBufferedReader(workerConfig())) {
            started.load(in);
        } catch (IOException e) {
            return Optional.of(Plugins.DEBEZIUM);
        }
        return Optional.of(Plugins.DEBEZIUM_AND_APICURIO_CONVERTER.discovery().equals(started.getProperty("plugin.discovery"))
                ? Plugins.DEBEZIUM_AND_APICURIO_CONVERTER : Plugins.DEBEZIUM);
    }

    private Path workerConfig() {
        return dir.resolve("worker.properties");
    }

    /** The worker's configuration; package-private for its unit test. */
    Map<String, String> workerProperties(Plugins plugins) {
        StackShape shape = settings.shape();
        String replicas = Integer.toString(shape.replicationFactor());
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", settings.bootstrapServers());
        p.put("group.id", GROUP_ID);
        p.put("listeners", "http://" + settings.host() + ":" + port);
        p.put("rest.advertised.host.name", settings.host());
        p.put("rest.advertised.port", Integer.toString(port));
        p.put("plugin.path", plugins == Plugins.DEBEZIUM ? layout.connectPluginPath().toString()
                : layout.connectPluginPath() + "," + layout.apicurioConverterPluginPath());
        p.put("plugin.discovery", plugins.discovery());
        p.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        p.put("key.converter.schemas.enable", "false");
        p.put("value.converter.schemas.enable", "false");
        p.put("config.storage.topic", "_connect-configs");
        p.put("offset.storage.topic", "_connect-offsets");
        p.put("status.storage.topic", "_connect-status");
        p.put("config.storage.replication.factor", replicas);
        p.put("offset.storage.replication.factor", replicas);
        p.put("status.storage.replication.factor", replicas);
        p.put("offset.storage.partitions", "5");
        p.put("status.storage.partitions", "1");
        p.put("offset.flush.interval.ms", "1000");
        if (shape.connectWorkers() > 1) {
            // Connect holds a vanished worker's tasks back for this long in case it returns (5 min by default, to
            // ride out rolling restarts); here a crashed worker's tasks move within about 20 s (the group's
            // 10 s session timeout plus this).
            p.put("scheduled.rebalance.max.delay.ms", "10000");
        }
        // Secrets reach connectors through providers, never as literals in a connector config.
        p.put("config.providers", "env,file");
        p.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        p.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        return p;
    }

    @Override
    public boolean isHealthy() {
        return answers(runningPlugins().orElse(Plugins.DEBEZIUM));
    }

    private boolean answers(Plugins plugins) {
        return ManagedProcess.isListening(settings.host(), port) && rest.hasPlugin("MariaDbConnector")
                && (plugins == Plugins.DEBEZIUM || rest.hasConverter(APICURIO_AVRO_CONVERTER));
    }

    @Override
    protected String runningDetail() {
        return runningPlugins().filter(p -> p == Plugins.DEBEZIUM_AND_APICURIO_CONVERTER)
                .map(p -> ", with the Apicurio converter").orElse("");
    }
}
