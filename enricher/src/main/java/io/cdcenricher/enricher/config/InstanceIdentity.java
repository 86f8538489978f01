package io.cdcenricher.enricher.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Who an enricher instance is and where it keeps its local state, unless the {@code kafka:} map says otherwise.
 *
 * <p>Why the product chooses these instead of Kafka Streams' defaults:
 * <ul>
 *   <li>{@code state.dir}: Kafka Streams' default {@code /tmp/kafka-streams} is shared by every application and every
 *   checkout on a machine, so one could start from another's stores (seen: a second checkout's demo died on the
 *   first one's global store checkpoint). The default here is
 *   {@code <user.home>/.cdc-enricher/state/<hash of the configuration file's real path>} (Kafka Streams adds the
 *   application id below it): not a temp folder, which the OS may clean under a running RocksDB and empties on
 *   reboot, turning a restart into a full rebuild. Where the home folder is not writable (some containers), the
 *   same path under {@code java.io.tmpdir}. Another configuration file (another checkout, another application) gets another
 *   folder; two instances started from the same file on one host would share it, and Kafka Streams refuses the
 *   second with its state directory lock.</li>
 *   <li>{@code group.instance.id} (static membership): without it, an instance restarted after a crash joins as a
 *   new member and waits until the dead member's session expires before it gets its partitions back (about a
 *   minute with the 45 s default session timeout). With a stable id the restarted instance takes its old member's
 *   place at once. The default is {@code <host>-<hash of the state directory>}: stable across restarts of the same
 *   instance, different for two instances on one host (they cannot share a state directory). The streams
 *   rebalance protocol ({@code group.protocol: streams}) does not support static membership in Kafka 4.3, so no id
 *   is set with it; an empty {@code group.instance.id} turns static membership off.</li>
 * </ul>
 */
public final class InstanceIdentity {

    /** Written under {@code kafka:} as an empty string: dynamic membership (no static id). */
    static final String DYNAMIC_MEMBERSHIP = "";

    private InstanceIdentity() {
    }

    /**
     * {@code kafka} with {@code state.dir} and {@code group.instance.id} filled in where absent.
     *
     * @param configFile the configuration file the instance was started with, or {@code null} (then the working
     *                   directory stands for it)
     */
    public static Map<String, String> withDefaults(Map<String, String> kafka, Path configFile) {
        Map<String, String> resolved = new LinkedHashMap<>(kafka);
        resolved.computeIfAbsent(StreamsConfig.STATE_DIR_CONFIG, key -> defaultStateDir(configFile).toString());
        boolean streamsProtocol = "streams".equalsIgnoreCase(resolved.get(StreamsConfig.GROUP_PROTOCOL_CONFIG));
        if (!streamsProtocol) {
            resolved.computeIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG,
                    key -> defaultInstanceId(hostName(), Path.of(resolved.get(StreamsConfig.STATE_DIR_CONFIG))));
        }
        return resolved;
    }

    /** {@code <user.home>/.cdc-enricher/state/<12 hex digits of the configuration file's real path>}. */
    static Path defaultStateDir(Path configFile) {
        Path identity = configFile != null ? configFile : Path.of("");
        Path real;
        try {
            real = identity.toRealPath();
        } catch (IOException e) {
            real = identity.toAbsolutePath().normalize();
        }
        String home = System.getProperty("user.home", "");
        Path base = !home.isEmpty() && !home.equals("?") && Files.isWritable(Path.of(home))
                ? Path.of(home, ".cdc-enricher", "state")
                : Path.of(System.getProperty("java.io.tmpdir"), "cdc-enricher-" + safe(System.getProperty("user.name",
                "user")), "state");
        return base.resolve(hash(real.toString()));
    }

    /** {@code <host>-<12 hex digits of the absolute state directory>}. */
    static String defaultInstanceId(String host, Path stateDir) {
        return safe(host) + "-" + hash(stateDir.toAbsolutePath().normalize().toString());
    }

    /** The host name without a DNS lookup (which can hang where name resolution is broken). */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String safe(String text) {
        String cleaned = text.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() ? "_" : cleaned;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
