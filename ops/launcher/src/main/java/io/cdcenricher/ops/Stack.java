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
 *
 * <p>The settings' {@link StackShape} says how many KRaft nodes ({@link #kafkaCluster()}) and Connect workers
 * ({@link #connectCluster()}) it runs; {@link #kafka()} and {@link #connect()} are node 1 and worker 1.
 */
public final class Stack {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final StackSettings settings;
    private final StackLayout layout;
    private final MariaDbServer mariadb;
    private final KafkaCluster kafkaCluster;
    private final ConnectCluster connectCluster;
    private final ApicurioRegistry registry;

    public Stack(StackSettings settings, StackLayout layout) {
        this.settings = settings;
        this.layout = layout;
        StackSecrets secrets = new StackSecrets(settings.runDir());
        this.mariadb = new MariaDbServer(settings, layout, secrets);
        this.kafkaCluster = new KafkaCluster(settings, layout, secrets);
        this.connectCluster = new ConnectCluster(settings, layout, secrets);
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

    /** Node 1: the only node of the default stack. */
    public KafkaBroker kafka() {
        return kafkaCluster.node(1);
    }

    /** Worker 1: the only worker of the default stack. */
    public ConnectWorker connect() {
        return connectCluster.worker(1);
    }

    /** Every KRaft node, and where partition and quorum leadership sits. */
    public KafkaCluster kafkaCluster() {
        return kafkaCluster;
    }

    /** Every Connect worker, and which one runs a task. */
    public ConnectCluster connectCluster() {
        return connectCluster;
    }

    public ApicurioRegistry registry() {
        return registry;
    }

    /** The parts every {@link #up} starts: MariaDB, the Kafka nodes, the Connect workers. */
    public List<StackPart> parts() {
        List<StackPart> parts = new ArrayList<>();
        parts.add(mariadb);
        parts.addAll(kafkaCluster.nodes());
        parts.addAll(connectCluster.workers());
        return List.copyOf(parts);
    }

    /** Every part, the optional registry last: what {@link #status}, {@link #down} and the logs cover. */
    public List<StackPart> allParts() {
        List<StackPart> parts = new ArrayList<>(parts());
        parts.add(registry);
        return List.copyOf(parts);
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
        if (kafkaCluster.nodes().size() == 1) {
            start(kafka(), progress, kafka()::up);
        } else {
            kafkaCluster.up(START_TIMEOUT, progress);
        }
        ConnectWorker.Plugins plugins = connectCluster.workers().stream()
                .flatMap(w -> w.runningPlugins().stream()).findFirst().orElse(ConnectWorker.Plugins.DEBEZIUM);
        if (withRegistry) {
            start(registry, progress, registry::up);
            for (ConnectWorker worker : connectCluster.workers()) {
                if (worker.runningPlugins().filter(p -> p != ConnectWorker.Plugins.DEBEZIUM_AND_APICURIO_CONVERTER)
                        .isPresent()) {
                    progress.accept(worker.name() + " runs without the Apicurio converter (plugin.discovery="
                            + ConnectWorker.Plugins.DEBEZIUM.discovery() + "): restarting it with plugin.discovery="
                            + ConnectWorker.Plugins.DEBEZIUM_AND_APICURIO_CONVERTER.discovery()
                            + "; its connectors resume from their stored offsets");
                    worker.down(STOP_GRACE);
                }
            }
            plugins = ConnectWorker.Plugins.DEBEZIUM_AND_APICURIO_CONVERTER;
        }
        ConnectWorker.Plugins chosen = plugins;
        if (connectCluster.workers().size() == 1) {
            start(connect(), progress, timeout -> connect().up(timeout, chosen));
        } else {
            connectCluster.up(START_TIMEOUT, chosen, progress);
        }
    }

    private static void start(StackPart part, Consumer<String> progress, Consumer<Duration> up) {
        boolean wasRunning = part.process().isRunning();
        long start = System.nanoTime();
        progress.accept((wasRunning ? "checking " : "starting ") + part.name() + " at " + part.address() + " ...");
        up.accept(START_TIMEOUT);
        progress.accept(String.format("%s ready at %s (%s, %.1f s)", part.name(), part.address(),
                wasRunning ? "already running" : "started", (System.nanoTime() - start) / 1e9));
    }

    /**
     * Stops every part this stack's run directory knows about, the registry included; leaves no process behind.
     * The workers stop together, then the nodes together: one by one, the last nodes of a cluster would wait for a
     * quorum that is already gone, and every worker could take its full grace.
     */
    public void down(Consumer<String> progress) {
        stopEnricher(progress);
        stopTogether(List.of(registry), progress);
        stopTogether(connectCluster.workers(), progress);
        stopTogether(kafkaCluster.nodes(), progress);
        stopTogether(List.of(mariadb), progress);
        stopLeftovers(progress);
    }

    /**
     * The enricher that {@code ops/demo --keep} left running from this run directory, which the demo tells its user to
     * stop with {@code ops/stack down}. First, while the broker still answers, so that it leaves its group cleanly.
     */
    private void stopEnricher(Consumer<String> progress) {
        if (new ManagedProcess(EnricherProcess.NAME, settings.runDir()).stop(STOP_GRACE)) {
            progress.accept(EnricherProcess.NAME + " stopped (started by ops/demo --keep)");
        }
    }

    /**
     * Nodes and workers that run from this run directory but are not part of this shape (an 'up' with fewer
     * workers since): their pid files still find them, and down leaves no process behind.
     */
    private void stopLeftovers(Consumer<String> progress) {
        Set<String> known = allParts().stream().map(StackPart::name).collect(Collectors.toSet());
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(settings.runDir())) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.matches("(kafka|connect)-\\d+\\.pid"))
                    .map(f -> f.substring(0, f.length() - ".pid".length())).filter(name -> !known.contains(name))
                    .forEach(name -> {
                        if (new ManagedProcess(name, settings.runDir()).stop(STOP_GRACE)) {
                            progress.accept(name + " stopped (not part of the recorded shape)");
                        }
                    });
        } catch (java.nio.file.NoSuchFileException e) {
            // nothing was ever started here
        } catch (java.io.IOException e) {
            throw new StackException("cannot list " + settings.runDir() + ": " + e.getMessage(), e);
        }
    }

    private static void stopTogether(List<? extends StackPart> parts, Consumer<String> progress) {
        List<java.util.concurrent.CompletableFuture<String>> stops = parts.stream()
                .map(part -> java.util.concurrent.CompletableFuture.supplyAsync(
                        () -> part.name() + (part.down(STOP_GRACE) ? " stopped" : " was not running"),
                        runnable -> new Thread(runnable, "stop-" + part.name()).start()))
                .toList();
        stops.forEach(stop -> progress.accept(stop.join()));
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

    /** The REST API of a live worker (worker 1 while it runs): any worker answers for the group. */
    public ConnectRestClient connectRest() {
        return connectCluster.anyLiveWorker().rest();
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
        props.putAll(kafka().saslClientSettings());
        // Every node's SASL listener, so that a client still connects while node 1 is down.
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.saslBootstrapServers());
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

    /**
     * Creates the topics that do not exist yet (the broker never auto-creates them), with the broker's default
     * replication factor: one copy on a single node, three in a cluster.
     */
    public void createTopics(int partitions, Map<String, String> topicConfig, String... names) {
        try (Admin admin = Admin.create(adminProperties())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = java.util.Arrays.stream(names).filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, java.util.Optional.of(partitions), java.util.Optional.empty())
                            .configs(topicConfig))
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
