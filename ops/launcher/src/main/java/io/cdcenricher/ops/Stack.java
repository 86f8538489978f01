package io.cdcenricher.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The whole local stack: MariaDB, the KRaft broker and the Connect worker, started in dependency order and stopped
 * in reverse, plus the optional schema registry (Apicurio), started only when asked for and always stopped and
 * reported. {@code ops/stack}, {@code ops/demo} and the integration tests all go through this class.
 */
public final class Stack {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final StackSettings settings;
    private final StackLayout layout;
    private final MariaDbServer mariadb;
    private final KafkaBroker kafka;
    private final ConnectWorker connect;
    private final ApicurioRegistry registry;

    public Stack(StackSettings settings, StackLayout layout) {
        this.settings = settings;
        this.layout = layout;
        StackSecrets secrets = new StackSecrets(settings.runDir());
        this.mariadb = new MariaDbServer(settings, layout, secrets);
        this.kafka = new KafkaBroker(settings, layout, secrets);
        this.connect = new ConnectWorker(settings, layout, secrets);
        this.registry = new ApicurioRegistry(settings, layout);
    }

    public StackSettings settings() {
        return settings;
    }

    public StackLayout layout() {
        return layout;
    }

    public MariaDbServer mariadb() {
        return mariadb;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public ConnectWorker connect() {
        return connect;
    }

    public ApicurioRegistry registry() {
        return registry;
    }

    /** The parts every {@link #up} starts: MariaDB, the broker, the Connect worker. */
    public List<StackPart> parts() {
        return List.of(mariadb, kafka, connect);
    }

    /** Every part, the optional registry last: what {@link #status}, {@link #down} and the logs cover. */
    public List<StackPart> allParts() {
        return List.of(mariadb, kafka, connect, registry);
    }

    /**
     * Starts whatever is not running; parts already up are only checked. Running it twice is harmless. Does not
     * start the registry; a registry or a worker with the Apicurio converter already running is left as it is.
     */
    public void up(Consumer<String> progress) {
        up(progress, false);
    }

    /**
     * {@link #up} plus the schema registry, and a Connect worker that loads the Apicurio converter. A worker already
     * running without the converter is restarted (said on {@code progress}); its connectors resume from their
     * offsets stored in Kafka.
     */
    public void upWithRegistry(Consumer<String> progress) {
        up(progress, true);
    }

    private void up(Consumer<String> progress, boolean withRegistry) {
        if (withRegistry && !registry.process().isRunning()) {
            registry.requireJava(); // fail before starting anything when the registry cannot run
        }
        start(mariadb, progress, mariadb::up);
        start(kafka, progress, kafka::up);
        ConnectWorker.Plugins plugins = connect.runningPlugins().orElse(ConnectWorker.Plugins.DEBEZIUM);
        if (withRegistry) {
            start(registry, progress, registry::up);
            if (plugins != ConnectWorker.Plugins.DEBEZIUM_AND_APICURIO_CONVERTER && connect.process().isRunning()) {
                progress.accept("connect runs without the Apicurio converter (plugin.discovery=" + plugins.discovery()
                        + "): restarting it with plugin.discovery="
                        + ConnectWorker.Plugins.DEBEZIUM_AND_APICURIO_CONVERTER.discovery()
                        + "; its connectors resume from their stored offsets");
                connect.down(STOP_GRACE);
            }
            plugins = ConnectWorker.Plugins.DEBEZIUM_AND_APICURIO_CONVERTER;
        }
        ConnectWorker.Plugins chosen = plugins;
        start(connect, progress, timeout -> connect.up(timeout, chosen));
    }

    private static void start(StackPart part, Consumer<String> progress, Consumer<Duration> up) {
        boolean wasRunning = part.process().isRunning();
        long start = System.nanoTime();
        progress.accept((wasRunning ? "checking " : "starting ") + part.name() + " at " + part.address() + " ...");
        up.accept(START_TIMEOUT);
        progress.accept(String.format("%s ready at %s (%s, %.1f s)", part.name(), part.address(),
                wasRunning ? "already running" : "started", (System.nanoTime() - start) / 1e9));
    }

    /** Stops every part this stack's run directory knows about, the registry included; leaves no process behind. */
    public void down(Consumer<String> progress) {
        List<StackPart> reverse = new ArrayList<>(allParts());
        java.util.Collections.reverse(reverse);
        for (StackPart part : reverse) {
            boolean stopped = part.down(STOP_GRACE);
            progress.accept(part.name() + (stopped ? " stopped" : " was not running"));
        }
    }

    /** One line per part, the registry included ("not started" unless it was asked for). */
    public List<String> status() {
        return allParts().stream().map(StackPart::statusLine).toList();
    }

    /**
     * Whether {@code ops/stack status} should exit 0: every part of {@link #up} runs, and the registry either runs or
     * was never started (a registry that died is a failure).
     */
    public boolean isUp() {
        return parts().stream().allMatch(p -> p.process().isRunning()) && !registry.process().isStale();
    }

    public ConnectRestClient connectRest() {
        return new ConnectRestClient(settings.connectUrl());
    }

    public ConnectorDeployer connectors(Map<String, String> overrides) {
        Map<String, String> values = new java.util.HashMap<>(ConnectorDeployer.placeholderValues(settings, System.getenv()));
        values.putAll(overrides);
        return new ConnectorDeployer(connectRest(), values);
    }

    public Properties adminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        return props;
    }

    /**
     * Client properties for the broker's SASL_PLAINTEXT listener as the SCRAM user (bootstrap servers, security
     * protocol, mechanism, JAAS config). They hold the password: pass them on, never log them.
     */
    public Properties saslClientProperties() {
        Properties props = new Properties();
        props.putAll(kafka.saslClientSettings());
        return props;
    }

    /** Client properties for a producer that neither loses nor duplicates: acks=all, idempotence on. */
    public Properties producerProperties() {
        Properties props = adminProperties();
        props.put(org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "all");
        props.put(org.apache.kafka.clients.producer.ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        return props;
    }

    /**
     * Waits until the topics exist: table topics appear once Debezium's snapshot wrote them, and the enricher
     * refuses to start without its source topics.
     */
    public void awaitTopics(java.time.Duration timeout, String... topics) {
        List<String> wanted = List.of(topics);
        try (Admin admin = Admin.create(adminProperties())) {
            Poll.until("topics " + wanted, timeout, Duration.ofMillis(200), () -> topicNames(admin),
                    names -> names.containsAll(wanted));
        } catch (PollTimeoutException e) {
            throw new StackException("topics " + wanted + " did not appear within " + timeout.toSeconds() + " s", e);
        }
    }

    private static Set<String> topicNames(Admin admin) {
        try {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while listing topics");
        } catch (Exception e) {
            throw new StackException("cannot list topics: " + e.getMessage(), e);
        }
    }

    /** Creates the topics that do not exist yet (the broker never auto-creates them). */
    public void createTopics(int partitions, Map<String, String> topicConfig, String... names) {
        try (Admin admin = Admin.create(adminProperties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = java.util.Arrays.stream(names).filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, partitions, (short) 1).configs(topicConfig))
                    .collect(Collectors.toList());
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new StackException("cannot create topics: " + e.getCause().getMessage(), e.getCause());
            }
        } catch (Exception e) {
            throw new StackException("cannot create topics: " + e.getMessage(), e);
        }
    }
}
