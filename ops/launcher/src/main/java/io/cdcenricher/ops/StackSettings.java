package io.cdcenricher.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;

/**
 * Addresses and folders of one stack. Everything binds to loopback; ports come from the environment
 * ({@code KAFKA_PORT}, {@code KAFKA_CONTROLLER_PORT}, {@code CONNECT_PORT}, {@code MARIADB_PORT}) or defaults,
 * and tests take free ports so that they never collide with a stack a developer keeps running.
 */
public record StackSettings(String host, int kafkaPort, int controllerPort, int connectPort, int mariadbPort,
                            Path runDir) {

    public static final String HOST = "127.0.0.1";

    public static StackSettings fromEnvironment(StackLayout layout) {
        return fromEnvironment(layout, System.getenv());
    }

    static StackSettings fromEnvironment(StackLayout layout, Map<String, String> env) {
        String runDir = env.get("STACK_RUN_DIR");
        return new StackSettings(HOST,
                port(env, "KAFKA_PORT", 9092),
                port(env, "KAFKA_CONTROLLER_PORT", 9093),
                port(env, "CONNECT_PORT", 8083),
                port(env, "MARIADB_PORT", 3307),
                runDir == null || runDir.isBlank() ? layout.defaultRunDir() : Path.of(runDir).toAbsolutePath());
    }

    /** Settings on ports that are free right now, for a test run. */
    public static StackSettings onFreePorts(Path runDir) {
        return new StackSettings(HOST, freePort(), freePort(), freePort(), freePort(), runDir);
    }

    public String bootstrapServers() {
        return host + ":" + kafkaPort;
    }

    public String connectUrl() {
        return "http://" + host + ":" + connectPort;
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

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
