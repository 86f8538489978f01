package io.cdcenricher.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The stack's KRaft nodes as one cluster: started together (no node answers before a majority of the quorum runs),
 * stopped together, and asked where leadership sits, which a fault run needs to pick the node to kill.
 */
public final class KafkaCluster {

    private final StackSettings settings;
    private final List<KafkaBroker> nodes;

    KafkaCluster(StackSettings settings, StackLayout layout, StackSecrets secrets) {
        this.settings = settings;
        this.nodes = settings.nodes().stream().map(n -> new KafkaBroker(settings, layout, secrets, n)).toList();
    }

    /** Every node, node 1 first. */
    public List<KafkaBroker> nodes() {
        return nodes;
    }

    public KafkaBroker node(int nodeId) {
        return nodes.stream().filter(n -> n.nodeId() == nodeId).findFirst()
                .orElseThrow(() -> new StackException("no Kafka node " + nodeId + " (the stack has "
                        + nodes.size() + ")"));
    }

    /**
     * Launches every node that is not running, then waits for each to serve clients and for the cluster to count
     * all of them as live brokers: a topic with three replicas cannot be created before.
     */
    void up(Duration timeout, Consumer<String> progress) {
        long start = System.nanoTime();
        // Formatting and JVM start-up take seconds each: the nodes go through them side by side.
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (KafkaBroker node : nodes) {
            boolean wasRunning = node.process().isRunning();
            progress.accept((wasRunning ? "checking " : "starting ") + node.name() + " at " + node.address() + " ...");
            starts.add(CompletableFuture.runAsync(node::start, r -> new Thread(r, "start-" + node.name()).start()));
        }
        for (CompletableFuture<Void> launch : starts) {
            try {
                launch.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        for (KafkaBroker node : nodes) {
            node.awaitReady(timeout);
            progress.accept(String.format("%s ready at %s (%.1f s)", node.name(), node.address(),
                    (System.nanoTime() - start) / 1e9));
        }
        if (nodes.size() > 1) {
            awaitLiveBrokers(timeout, nodes.size());
        }
    }

    /** Waits until the cluster's metadata lists {@code count} unfenced brokers. */
    public void awaitLiveBrokers(Duration timeout, int count) {
        try (Admin admin = admin()) {
            Poll.until(count + " live Kafka brokers", timeout, Duration.ofMillis(200),
                    () -> liveBrokers(admin), live -> live >= count);
        } catch (PollTimeoutException e) {
            throw new StackException("the Kafka cluster did not count " + count + " live brokers within "
                    + timeout.toSeconds() + " s; see the logs of " + nodes.stream().map(KafkaBroker::name).toList(), e);
        }
    }

    private static int liveBrokers(Admin admin) {
        try {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException | TimeoutException e) {
            return 0;
        }
    }

    /**
     * The node that leads {@code topic}'s partition right now, as the cluster's metadata says; empty while the
     * partition has no leader (all of its in-sync replicas are down).
     */
    public Optional<KafkaBroker> partitionLeader(String topic, int partition) {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(10, TimeUnit.SECONDS).get(topic);
            TopicPartitionInfo info = description.partitions().stream().filter(p -> p.partition() == partition)
                    .findFirst().orElseThrow(() -> new StackException(topic + " has no partition " + partition));
            Node leader = info.leader();
            return leader == null || leader.isEmpty() ? Optional.empty() : Optional.of(node(leader.id()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while describing " + topic);
        } catch (ExecutionException | TimeoutException e) {
            throw new StackException("cannot describe " + topic + ": " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /**
     * Waits until every partition of every topic, internal ones included, has all of its replicas in sync: after a
     * node came back, the moment a rolling restart may take the next one down without dropping a partition below
     * {@code min.insync.replicas}.
     */
    public void awaitInSync(Duration timeout) {
        try (Admin admin = admin()) {
            Poll.until("every partition's replicas in sync", timeout, Duration.ofMillis(500),
                    () -> outOfSync(admin), List::isEmpty);
        } catch (PollTimeoutException e) {
            throw new StackException("partitions still out of sync after " + timeout.toSeconds() + " s: "
                    + e.getMessage(), e);
        }
    }

    /** "topic-p" of each partition with fewer in-sync replicas than replicas (or "unknown" while no answer comes). */
    private static List<String> outOfSync(Admin admin) {
        try {
            var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(5, TimeUnit.SECONDS);
            List<String> lagging = new ArrayList<>();
            for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS)
                    .values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.isr().size() < partition.replicas().size()) {
                        lagging.add(topic.name() + "-" + partition.partition());
                    }
                }
            }
            return lagging;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("unknown (interrupted)");
        } catch (ExecutionException | TimeoutException e) {
            return List.of("unknown (" + (e.getCause() != null ? e.getCause() : e) + ")");
        }
    }

    /**
     * Each topic, internal ones included (the offsets and transaction logs, Connect's, the enricher's changelogs
     * and repartition topics), that is replicated fewer times than the stack's shape promises or accepts an acks=all
     * write with fewer in-sync replicas than it: "topic: 1 replica" or "topic: min.insync.replicas=1". Empty when
     * every topic holds the promise; a fault run that found something here would prove less than it claims.
     */
    public List<String> belowReplicationPromise() {
        StackShape shape = settings.shape();
        try (Admin admin = admin()) {
            var names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
            List<String> below = new ArrayList<>();
            for (TopicDescription topic : admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS)
                    .values()) {
                int fewest = topic.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
                if (fewest < shape.replicationFactor()) {
                    below.add(topic.name() + ": " + fewest + (fewest == 1 ? " replica" : " replicas"));
                }
            }
            var resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            admin.describeConfigs(resources).all().get(10, TimeUnit.SECONDS).forEach((resource, config) -> {
                int minInsync = Integer.parseInt(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value());
                if (minInsync < shape.minInsyncReplicas()) {
                    below.add(resource.name() + ": min.insync.replicas=" + minInsync);
                }
            });
            return below;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while describing the topics");
        } catch (ExecutionException | TimeoutException e) {
            throw new StackException("cannot describe the topics: " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    /** The node that leads the controller quorum (the active controller) right now. */
    public KafkaBroker activeController() {
        try (Admin admin = admin()) {
            return node(admin.describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while asking for the active controller");
        } catch (ExecutionException | TimeoutException e) {
            throw new StackException("cannot find the active controller: "
                    + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }
}
