package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A single-node KRaft broker (combined broker and controller), started as {@code kafka.Kafka server.properties}
 * after {@code kafka.tools.StorageTool format}, as the distribution does.
 */
public final class KafkaBroker extends StackPart {


    public KafkaBroker(StackSettings settings, StackLayout layout) {
        super("kafka", settings, layout);
    }

    @Override
    public String address() {
        return settings.bootstrapServers();
    }

    @Override
    public void up(Duration timeout) {
        if (process().isRunning()) {
            Readiness.await(process(), timeout, "broker answers on " + address(), this::isHealthy);
            return;
        }
        ManagedProcess.requireFreePort(name(), settings.host(), settings.kafkaPort(), "KAFKA_PORT");
        ManagedProcess.requireFreePort(name() + " controller", settings.host(), settings.controllerPort(),
                "KAFKA_CONTROLLER_PORT");
        Path config = PropertiesFile.write(dir.resolve("server.properties"), serverProperties());
        Path log4j = Log4jConfig.write(settings.runDir());
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            format(config, log4j);
        }
        process().start(JavaCommand.of(layout.kafkaLibs(), log4j, "768m", "kafka.Kafka", config.toString()),
                Map.of(), dir);
        Readiness.await(process(), timeout, "broker answers on " + address(), this::isHealthy);
    }

    private void format(Path config, Path log4j) {
        ManagedProcess formatter = new ManagedProcess("kafka-format", settings.runDir());
        ProcessHandle handle = formatter.start(JavaCommand.of(layout.kafkaLibs(), log4j, "256m",
                "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                Map.of(), dir);
        try {
            handle.onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            formatter.stop(Duration.ofSeconds(1));
            throw new StackException("formatting the Kafka storage did not finish: " + formatter.logTail(20), e);
        }
        formatter.stop(Duration.ofSeconds(1));
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            throw new StackException("formatting the Kafka storage failed:\n" + formatter.logTail(20));
        }
    }

    private Map<String, String> serverProperties() {
        String host = settings.host();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + settings.controllerPort());
        p.put("listeners", "PLAINTEXT://" + host + ":" + settings.kafkaPort() + ",CONTROLLER://" + host + ":"
                + settings.controllerPort());
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + settings.kafkaPort());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A Connect worker that is still shutting down would otherwise recreate its internal topics with
        // cleanup.policy=delete, and the next worker refuses to start.
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    @Override
    public boolean isHealthy() {
        if (!ManagedProcess.isListening(settings.host(), settings.kafkaPort())) {
            return false;
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        try (Admin admin = Admin.create(props)) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
