package io.cdcenricher.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * One KRaft node (combined broker and controller), started as {@code kafka.Kafka server.properties} after
 * {@code kafka.tools.StorageTool format}, as the distribution does. The default stack has one; a cluster
 * ({@link StackShape}) has three or five, all voters of a static controller quorum ({@code controller.quorum.voters}),
 * formatted with one cluster id, with every topic replicated {@link StackShape#replicationFactor()} times. Node 1 is
 * named {@code kafka} (its folder, pid and log file), node N {@code kafka-N}.
 *
 * <p>It has two client listeners on loopback: {@code PLAINTEXT} (inter-broker, and what Connect, the demo and the
 * tests use) and {@code SASL_PLAINTEXT} with SCRAM-SHA-512 for clients that must authenticate. The SCRAM user
 * {@value StackSecrets#SCRAM_USER} is created (or its password reset to the run directory's secret) over the
 * PLAINTEXT listener with {@code Admin#alterUserScramCredentials} each time the broker comes up and the user does
 * not authenticate yet, so run directories formatted before the SASL listener existed need nothing special.
 */
public final class KafkaBroker extends StackPart {

    /** The name (and security protocol) of the authenticating listener. */
    public static final String SASL_LISTENER = "SASL_PLAINTEXT";
    public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    private static final int SCRAM_ITERATIONS = 8192;
    private static final Pattern SASL_LISTENER_PORT = Pattern.compile(SASL_LISTENER + "://[^,:]+:(\\d+)");

    private final StackSecrets secrets;
    private final NodePorts node;

    /** Node 1 of the stack. */
    public KafkaBroker(StackSettings settings, StackLayout layout, StackSecrets secrets) {
        this(settings, layout, secrets, settings.nodes().get(0));
    }

    /** The node with these ports, one of {@code settings.nodes()}. */
    public KafkaBroker(StackSettings settings, StackLayout layout, StackSecrets secrets, NodePorts node) {
        super(partName(node.nodeId()), settings, layout);
        this.secrets = secrets;
        this.node = node;
    }

    /** {@code kafka} for node 1, as before clusters existed, {@code kafka-N} for node N. */
    static String partName(int nodeId) {
        return nodeId == 1 ? "kafka" : "kafka-" + nodeId;
    }

    public int nodeId() {
        return node.nodeId();
    }

    /** This node's PLAINTEXT listener, {@code host:port}. */
    public String bootstrapServer() {
        return settings.host() + ":" + node.kafkaPort();
    }

    /** Both client listeners, as {@code ops/stack status} shows them. */
    @Override
    public String address() {
        return bootstrapServer() + ", SASL " + saslBootstrapServers();
    }

    /**
     * The SASL_PLAINTEXT listener's {@code host:port}: for a running broker the one its server.properties names
     * (a kept stack may have been started with other settings), otherwise the configured one.
     */
    public String saslBootstrapServers() {
        OptionalInt running = process().isRunning() ? configuredSaslPort() : OptionalInt.empty();
        return settings.host() + ":" + running.orElse(node.saslPort());
    }

    /**
     * Client settings for the SASL listener as {@value StackSecrets#SCRAM_USER}: bootstrap servers, security
     * protocol, mechanism and JAAS config. The map holds the password: never log it.
     */
    public Map<String, String> saslClientSettings() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, saslBootstrapServers());
        p.putAll(scramClientSettings(StackSecrets.SCRAM_USER, secrets.scramPassword()));
        return p;
    }

    /** {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config} for a SCRAM-SHA-512 user. */
    public static Map<String, String> scramClientSettings(String username, String password) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SASL_LISTENER,
                SaslConfigs.SASL_MECHANISM, SCRAM_MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"" + jaasQuoted(username) + "\" password=\"" + jaasQuoted(password) + "\";");
    }

    /** JAAS values are quoted strings in which a backslash escapes the next character. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Starts the node unless it runs, then waits until it serves clients: for a cluster, use {@link KafkaCluster}. */
    @Override
    public void up(Duration timeout) {
        start();
        awaitReady(timeout);
    }

    /**
     * Formats the storage if it never was and launches the process; does not wait. A node of a cluster cannot answer
     * before a majority of the quorum runs, so {@link KafkaCluster} starts every node before waiting for any.
     * Does nothing when the node runs already.
     */
    public void start() {
        if (process().isRunning()) {
            return;
        }
        String suffix = node.nodeId() == 1 ? "" : " (node " + node.nodeId() + ": +"
                + StackSettings.CLUSTER_PORT_STEP * (node.nodeId() - 1) + ")";
        ManagedProcess.requireFreePort(name(), settings.host(), node.kafkaPort(), "KAFKA_PORT" + suffix);
        ManagedProcess.requireFreePort(name() + " controller", settings.host(), node.controllerPort(),
                "KAFKA_CONTROLLER_PORT" + suffix);
        ManagedProcess.requireFreePort(name() + " SASL listener", settings.host(), node.saslPort(),
                "KAFKA_SASL_PORT" + suffix);
        Path config = PropertiesFile.write(serverConfig(), serverProperties());
        Path log4j = Log4jConfig.write(settings.runDir());
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            format(config, log4j);
        }
        process().start(JavaCommand.of(layout.kafkaLibs(), log4j, "768m", "kafka.Kafka", config.toString()),
                Map.of(), dir);
    }

    /** Waits until the node serves PLAINTEXT clients and lets the SCRAM user in on its SASL listener. */
    public void awaitReady(Duration timeout) {
        Readiness.await(process(), timeout, "broker answers on " + bootstrapServer(), this::answersPlaintext);
        if (configuredSaslPort().isEmpty()) {
            throw new StackException(name() + " runs without the " + SASL_LISTENER + " listener (it was started "
                    + "before the launcher had one): restart it with 'ops/stack down' and 'ops/stack up'");
        }
        ensureScramUser(timeout);
    }

    /**
     * Makes {@value StackSecrets#SCRAM_USER} authenticate on the SASL listener with the run directory's password:
     * nothing to do when it already does, otherwise an upsert over PLAINTEXT and a wait until the broker has applied
     * it (credentials travel through the metadata log, so they are not usable the instant the call returns). The
     * user's existence is asked over PLAINTEXT first, so a fresh stack never tries (and logs) a failed login.
     */
    private void ensureScramUser(Duration timeout) {
        try (Admin admin = Admin.create(plaintextAdminProperties())) {
            if (hasScramCredential(admin) && saslAuthenticates()) {
                return;
            }
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(StackSecrets.SCRAM_USER,
                            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                            secrets.scramPassword())))
                    .all().get(30, TimeUnit.SECONDS);
            Readiness.await(process(), timeout, "the broker lists the SCRAM user " + StackSecrets.SCRAM_USER,
                    () -> hasScramCredential(admin));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating the SCRAM user " + StackSecrets.SCRAM_USER);
        } catch (ExecutionException | TimeoutException e) {
            // The broker's reason names the user at most; the password is never part of it.
            throw new StackException("cannot create the SCRAM user " + StackSecrets.SCRAM_USER + " on "
                    + bootstrapServer() + ": " + (e.getCause() != null ? e.getCause() : e), e);
        }
        Readiness.await(process(), timeout, "SCRAM user " + StackSecrets.SCRAM_USER + " authenticates on "
                + saslBootstrapServers(), this::saslAuthenticates);
    }

    private static boolean hasScramCredential(Admin admin) {
        try {
            UserScramCredentialsDescription user = admin.describeUserScramCredentials().all()
                    .get(10, TimeUnit.SECONDS).get(StackSecrets.SCRAM_USER);
            return user != null && user.credentialInfos().stream()
                    .anyMatch(info -> info.mechanism() == ScramMechanism.SCRAM_SHA_512);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private void format(Path config, Path log4j) {
        ManagedProcess formatter = new ManagedProcess(name() + "-format", settings.runDir());
        ProcessHandle handle = formatter.start(JavaCommand.of(layout.kafkaLibs(), log4j, "256m",
                "kafka.tools.StorageTool", "format", "-t", clusterId(), "-c", config.toString()),
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

    /**
     * The cluster id every node is formatted with: a node formatted with another id refuses to join. Kept in the
     * run directory, so that a node formatted later (a cluster's node whose data was deleted) joins the same cluster.
     */
    private String clusterId() {
        return clusterId(settings.runDir());
    }

    /** Synchronized: the nodes of a cluster are formatted at once, and must not each invent an id. */
    private static synchronized String clusterId(Path runDir) {
        Path file = runDir.resolve("kafka-cluster.id");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, Uuid.randomUuid().toString());
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new StackException("cannot read or write the cluster id in " + file + ": " + e.getMessage(), e);
        }
    }

    private Path serverConfig() {
        return dir.resolve("server.properties");
    }

    /** The broker's configuration; package-private for its unit test. */
    Map<String, String> serverProperties() {
        String host = settings.host();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(node.nodeId()));
        // A static quorum: every node is a voter and knows all of them, so the cluster forms without a
        // bootstrapping step and the same files start it again after any node's crash.
        p.put("controller.quorum.voters", settings.nodes().stream()
                .map(n -> n.nodeId() + "@" + host + ":" + n.controllerPort())
                .collect(java.util.stream.Collectors.joining(",")));
        p.put("listeners", "PLAINTEXT://" + host + ":" + node.kafkaPort()
                + "," + SASL_LISTENER + "://" + host + ":" + node.saslPort()
                + ",CONTROLLER://" + host + ":" + node.controllerPort());
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + node.kafkaPort()
                + "," + SASL_LISTENER + "://" + host + ":" + node.saslPort());
        p.put("controller.listener.names", "CONTROLLER");
        // Brokers and the controller keep talking PLAINTEXT: the SASL listener is for clients only, so nothing
        // else in the stack needs a credential.
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + SASL_LISTENER + ":" + SASL_LISTENER
                + ",CONTROLLER:PLAINTEXT");
        p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        // The server side of SCRAM needs a login module but no options: credentials live in the metadata log.
        p.put("listener.name." + SASL_LISTENER.toLowerCase(java.util.Locale.ROOT) + "."
                        + SCRAM_MECHANISM.toLowerCase(java.util.Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", "1");
        p.putAll(replicationProperties(settings.shape()));
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("group.initial.rebalance.delay.ms", "0");
        // A Connect worker that is still shutting down would otherwise recreate its internal topics with
        // cleanup.policy=delete, and the next worker refuses to start.
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    /**
     * Replication of every topic, internal ones included, as production needs it: {@code replicationFactor} copies,
     * an acks=all write needs {@code minInsyncReplicas} of them, and a replica that missed writes never becomes
     * leader. Topics created without a replication factor (Connect's {@code -1}, Kafka Streams' default) take the
     * broker default, so nothing outside the stack needs to know its shape.
     */
    static Map<String, String> replicationProperties(StackShape shape) {
        String replicas = Integer.toString(shape.replicationFactor());
        String minIsr = Integer.toString(shape.minInsyncReplicas());
        Map<String, String> p = new LinkedHashMap<>();
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minIsr);
        p.put("offsets.topic.replication.factor", replicas);
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("unclean.leader.election.enable", "false");
        return p;
    }

    /** The SASL port in the server.properties the broker was last started with, if it has that listener. */
    private OptionalInt configuredSaslPort() {
        Properties started = new Properties();
        try (Reader in = Files.newBufferedReader(serverConfig())) {
            started.load(in);
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        Matcher m = SASL_LISTENER_PORT.matcher(started.getProperty("listeners", ""));
        return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    /** Serves requests on PLAINTEXT and, when it has the listener, lets the SCRAM user in on SASL. */
    @Override
    public boolean isHealthy() {
        return answersPlaintext() && configuredSaslPort().isPresent() && saslAuthenticates();
    }

    @Override
    protected String runningDetail() {
        String sasl = configuredSaslPort().isPresent() ? ", SASL user " + StackSecrets.SCRAM_USER + " " + SCRAM_MECHANISM
                : ", without the SASL listener: restart it";
        return settings.shape().brokers() == 1 ? sasl : ", node " + node.nodeId() + ", broker+controller"
                + (isActiveController() ? ", active controller" : "") + sasl;
    }

    /** Whether this node leads the controller quorum, as the node itself sees it; false when it cannot tell. */
    private boolean isActiveController() {
        try (Admin admin = Admin.create(shortTimeouts(plaintextAdminProperties()))) {
            return admin.describeMetadataQuorum().quorumInfo().get(3, TimeUnit.SECONDS).leaderId() == node.nodeId();
        } catch (Exception e) {
            return false;
        }
    }

    /** This node serves metadata and counts itself among the live brokers (in a cluster: it is unfenced). */
    private boolean answersPlaintext() {
        return ManagedProcess.isListening(settings.host(), node.kafkaPort())
                && describesCluster(plaintextAdminProperties(), node.nodeId());
    }

    private boolean saslAuthenticates() {
        Properties props = new Properties();
        props.putAll(saslClientSettings());
        return describesCluster(props, node.nodeId());
    }

    private Properties plaintextAdminProperties() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer());
        return props;
    }

    private static Properties shortTimeouts(Properties connection) {
        Properties props = new Properties();
        props.putAll(connection);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        return props;
    }

    private static boolean describesCluster(Properties connection, int nodeId) {
        try (Admin admin = Admin.create(shortTimeouts(connection))) {
            return admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).stream().anyMatch(n -> n.id() == nodeId);
        } catch (Exception e) {
            return false;
        }
    }
}
