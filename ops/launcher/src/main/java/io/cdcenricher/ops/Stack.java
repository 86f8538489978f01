package io.cdcenricher.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The whole local stack: MariaDB, the KRaft broker and the Connect worker, started in dependency order and stopped
 * in reverse. {@code ops/stack}, {@code ops/demo} and the integration tests all go through this class.
 */
public final class Stack {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final StackSettings settings;
    private final StackLayout layout;
    private final MariaDbServer mariadb;
    private final KafkaBroker kafka;
    private final ConnectWorker connect;

    public Stack(StackSettings settings, StackLayout layout) {
        this.settings = settings;
        this.layout = layout;
        StackSecrets secrets = new StackSecrets(settings.runDir());
        this.mariadb = new MariaDbServer(settings, layout, secrets);
        this.kafka = new KafkaBroker(settings, layout);
        this.connect = new ConnectWorker(settings, layout, secrets);
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

    public List<StackPart> parts() {
        return List.of(mariadb, kafka, connect);
    }

    /** Starts whatever is not running; parts already up are only checked. Running it twice is harmless. */
    public void up(java.util.function.Consumer<String> progress) {
        for (StackPart part : parts()) {
            boolean wasRunning = part.process().isRunning();
            long start = System.nanoTime();
            progress.accept((wasRunning ? "checking " : "starting ") + part.name() + " at " + part.address() + " ...");
            part.up(START_TIMEOUT);
            progress.accept(String.format("%s ready at %s (%s, %.1f s)", part.name(), part.address(),
                    wasRunning ? "already running" : "started", (System.nanoTime() - start) / 1e9));
        }
    }

    /** Stops every part this stack's run directory knows about; leaves no process behind. */
    public void down(java.util.function.Consumer<String> progress) {
        List<StackPart> reverse = new ArrayList<>(parts());
        java.util.Collections.reverse(reverse);
        for (StackPart part : reverse) {
            boolean stopped = part.down(STOP_GRACE);
            progress.accept(part.name() + (stopped ? " stopped" : " was not running"));
        }
    }

    public List<String> status() {
        return parts().stream().map(StackPart::statusLine).toList();
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
