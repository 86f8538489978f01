package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Addresses and folders of one stack. Everything binds to loopback; ports come from the environment
 * ({@code KAFKA_PORT}, {@code KAFKA_CONTROLLER_PORT}, {@code KAFKA_SASL_PORT}, {@code CONNECT_PORT},
 * {@code MARIADB_PORT}, {@code REGISTRY_PORT}, {@code REGISTRY_MANAGEMENT_PORT}) or defaults, and tests take free
 * ports so that they never collide with a stack a developer keeps running.
 *
 * <p>{@code kafkaPort} is the broker's PLAINTEXT listener (inter-broker and what every part of the stack uses);
 * {@code kafkaSaslPort} is its second listener, SASL_PLAINTEXT with SCRAM-SHA-512, for clients that authenticate.
 *
 * <p>A cluster ({@link StackShape}) has more nodes and workers: {@code otherNodes} are nodes 2..N and
 * {@code otherConnectPorts} the REST ports of workers 2..M. From the environment they take the first node's and
 * worker's ports plus 100 per node or worker ({@code KAFKA_PORT=9092}: node 2 on 9192, node 3 on 9292).
 */
public record StackSettings(String host, int kafkaPort, int controllerPort, int kafkaSaslPort, int connectPort,
                            int mariadbPort, int registryPort, int registryManagementPort, Path runDir,
                            List<NodePorts> otherNodes, List<Integer> otherConnectPorts) {

    /** How far apart the environment-derived ports of consecutive nodes and workers are. */
    static final int CLUSTER_PORT_STEP = 100;

    public StackSettings {
        otherNodes = List.copyOf(otherNodes);
        otherConnectPorts = List.copyOf(otherConnectPorts);
    }

    /** A single node and a single worker. */
    public StackSettings(String host, int kafkaPort, int controllerPort, int kafkaSaslPort, int connectPort,
                         int mariadbPort, int registryPort, int registryManagementPort, Path runDir) {
        this(host, kafkaPort, controllerPort, kafkaSaslPort, connectPort, mariadbPort, registryPort,
                registryManagementPort, runDir, List.of(), List.of());
    }

    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_KAFKA_SASL_PORT = 9094;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_REGISTRY_MANAGEMENT_PORT = 9001;

    /** A stack whose SASL listener takes its default port ({@value #DEFAULT_KAFKA_SASL_PORT}). */
    public StackSettings(String host, int kafkaPort, int controllerPort, int connectPort, int mariadbPort,
                         int registryPort, int registryManagementPort, Path runDir) {
        this(host, kafkaPort, controllerPort, DEFAULT_KAFKA_SASL_PORT, connectPort, mariadbPort, registryPort,
                registryManagementPort, runDir);
    }

    /**
     * A stack whose SASL listener and optional schema registry take their default ports. For a stack that is
     * already running, {@link KafkaBroker} reads the SASL port it really listens on from its server.properties.
     */
    public StackSettings(String host, int kafkaPort, int controllerPort, int connectPort, int mariadbPort,
                         Path runDir) {
        this(host, kafkaPort, controllerPort, DEFAULT_KAFKA_SASL_PORT, connectPort, mariadbPort, DEFAULT_REGISTRY_PORT,
                DEFAULT_REGISTRY_MANAGEMENT_PORT, runDir);
    }

    /**
     * Settings from the environment, shaped as {@code up} recorded in the run directory: every command (status,
     * connectors, demo) then reaches every node of a cluster.
     */
    public static StackSettings fromEnvironment(StackLayout layout) {
        StackSettings single = fromEnvironment(layout, System.getenv());
        return single.withShape(StackShape.recorded(single.runDir()));
    }

    static StackSettings fromEnvironment(StackLayout layout, Map<String, String> env, StackShape shape) {
        return fromEnvironment(layout, env).withShape(shape);
    }

    static StackSettings fromEnvironment(StackLayout layout, Map<String, String> env) {
        String runDir = env.get("STACK_RUN_DIR");
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("KAFKA_PORT", port(env, "KAFKA_PORT", 9092));
        ports.put("KAFKA_CONTROLLER_PORT", port(env, "KAFKA_CONTROLLER_PORT", 9093));
        ports.put("KAFKA_SASL_PORT", port(env, "KAFKA_SASL_PORT", DEFAULT_KAFKA_SASL_PORT));
        ports.put("CONNECT_PORT", port(env, "CONNECT_PORT", 8083));
        ports.put("MARIADB_PORT", port(env, "MARIADB_PORT", 3307));
        ports.put("REGISTRY_PORT", port(env, "REGISTRY_PORT", DEFAULT_REGISTRY_PORT));
        ports.put("REGISTRY_MANAGEMENT_PORT", port(env, "REGISTRY_MANAGEMENT_PORT", DEFAULT_REGISTRY_MANAGEMENT_PORT));
        validateDistinctPorts(ports);
        return new StackSettings(HOST,
                ports.get("KAFKA_PORT"),
                ports.get("KAFKA_CONTROLLER_PORT"),
                ports.get("KAFKA_SASL_PORT"),
                ports.get("CONNECT_PORT"),
                ports.get("MARIADB_PORT"),
                ports.get("REGISTRY_PORT"),
                ports.get("REGISTRY_MANAGEMENT_PORT"),
                runDir == null || runDir.isBlank() ? layout.defaultRunDir() : Path.of(runDir).toAbsolutePath());
    }

    /**
     * Every listener needs a port of its own: two keys on one port would otherwise fail only when the second part
     * binds, with an error that names neither key.
     *
     * @param ports environment key to port, as resolved (defaults included), in the order the keys are declared
     */
    static void validateDistinctPorts(Map<String, Integer> ports) {
        Map<Integer, String> keyByPort = new HashMap<>();
        for (Map.Entry<String, Integer> entry : ports.entrySet()) {
            String earlier = keyByPort.putIfAbsent(entry.getValue(), entry.getKey());
            if (earlier != null) {
                throw new StackException(entry.getKey() + " and " + earlier + " are both " + entry.getValue()
                        + ": every listener of the stack needs a port of its own");
            }
        }
    }

    /** Settings on ports that are free right now, for a test run. */
    public static StackSettings onFreePorts(Path runDir) {
        return onFreePorts(runDir, StackShape.SINGLE);
    }

    /** A stack of {@code shape} on ports that are free right now, for a test run. */
    public static StackSettings onFreePorts(Path runDir, StackShape shape) {
        int others = shape.brokers() - 1;
        int[] ports = freePorts(7 + 3 * others + shape.connectWorkers() - 1);
        List<NodePorts> otherNodes = new ArrayList<>();
        for (int i = 0; i < others; i++) {
            otherNodes.add(new NodePorts(i + 2, ports[7 + 3 * i], ports[8 + 3 * i], ports[9 + 3 * i]));
        }
        List<Integer> otherConnectPorts = new ArrayList<>();
        for (int i = 7 + 3 * others; i < ports.length; i++) {
            otherConnectPorts.add(ports[i]);
        }
        return new StackSettings(HOST, ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6], runDir,
                otherNodes, otherConnectPorts);
    }

    /**
     * These settings with {@code shape}'s nodes and workers, their ports {@value #CLUSTER_PORT_STEP} apart from the
     * first node's and worker's. Fails when a derived port clashes with another listener of the stack.
     */
    StackSettings withShape(StackShape shape) {
        List<NodePorts> nodes = new ArrayList<>();
        List<Integer> connects = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("KAFKA_PORT", kafkaPort);
        ports.put("KAFKA_CONTROLLER_PORT", controllerPort);
        ports.put("KAFKA_SASL_PORT", kafkaSaslPort);
        ports.put("CONNECT_PORT", connectPort);
        ports.put("MARIADB_PORT", mariadbPort);
        ports.put("REGISTRY_PORT", registryPort);
        ports.put("REGISTRY_MANAGEMENT_PORT", registryManagementPort);
        for (int id = 2; id <= shape.brokers(); id++) {
            int offset = CLUSTER_PORT_STEP * (id - 1);
            NodePorts node = new NodePorts(id, kafkaPort + offset, controllerPort + offset, kafkaSaslPort + offset);
            ports.put("KAFKA_PORT+" + offset + " (node " + id + ")", node.kafkaPort());
            ports.put("KAFKA_CONTROLLER_PORT+" + offset + " (node " + id + ")", node.controllerPort());
            ports.put("KAFKA_SASL_PORT+" + offset + " (node " + id + ")", node.saslPort());
            nodes.add(node);
        }
        for (int worker = 2; worker <= shape.connectWorkers(); worker++) {
            int offset = CLUSTER_PORT_STEP * (worker - 1);
            ports.put("CONNECT_PORT+" + offset + " (worker " + worker + ")", connectPort + offset);
            connects.add(connectPort + offset);
        }
        ports.forEach((key, port) -> {
            if (port > 65535) {
                throw new StackException(key + " is " + port + ", past 65535: choose lower base ports");
            }
        });
        validateDistinctPorts(ports);
        return new StackSettings(host, kafkaPort, controllerPort, kafkaSaslPort, connectPort, mariadbPort,
                registryPort, registryManagementPort, runDir, nodes, connects);
    }

    /** How many nodes and workers these settings have ports for. */
    public StackShape shape() {
        return new StackShape(1 + otherNodes.size(), 1 + otherConnectPorts.size());
    }

    /** Every KRaft node's ports, node 1 first. */
    public List<NodePorts> nodes() {
        List<NodePorts> nodes = new ArrayList<>();
        nodes.add(new NodePorts(1, kafkaPort, controllerPort, kafkaSaslPort));
        nodes.addAll(otherNodes);
        return List.copyOf(nodes);
    }

    /** Every Connect worker's REST port, worker 1 first. */
    public List<Integer> connectPorts() {
        List<Integer> ports = new ArrayList<>();
        ports.add(connectPort);
        ports.addAll(otherConnectPorts);
        return List.copyOf(ports);
    }

    /** Every node's PLAINTEXT listener: a client that knows them all still connects while one node is down. */
    public String bootstrapServers() {
        return nodes().stream().map(n -> host + ":" + n.kafkaPort()).collect(Collectors.joining(","));
    }

    /** Every node's SASL_PLAINTEXT (SCRAM-SHA-512) listener, for clients that authenticate. */
    public String saslBootstrapServers() {
        return nodes().stream().map(n -> host + ":" + n.saslPort()).collect(Collectors.joining(","));
    }

    /** Worker 1's REST API. */
    public String connectUrl() {
        return connectUrl(connectPort);
    }

    /** The REST API of the worker listening on {@code port}. */
    public String connectUrl(int port) {
        return "http://" + host + ":" + port;
    }

    /** The schema registry's {@code host:port}, as connector files refer to it ({@code CDC_REGISTRY_HOST_PORT}). */
    public String registryHostPort() {
        return host + ":" + registryPort;
    }

    public String registryUrl() {
        return "http://" + registryHostPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:mariadb://" + host + ":" + mariadbPort + "/" + database;
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new StackException(name + "=" + value + " is not a TCP port (1-65535)");
        }
    }

    /** Distinct free ports: every socket stays open until all are chosen, so the OS cannot hand one out twice. */
    static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getByName(HOST)));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // the port stays free for the part that takes it
                }
            }
        }
    }
}
