package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ops/connectors status} and {@code watch} on the real stack. Each connector here reads MariaDB as a user of
 * its own (password in a 0600 file the worker's FileConfigProvider resolves), so that taking that user's
 * replication grant away or killing its binlog connection touches no other test's connector.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class CaptureStatusIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration WINDOW = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    /** A database with a customers table, a user for the connector, and a connector file that logs in as it. */
    private record Capture(String database, String prefix, String user, String password, Path file) {

        String connector() {
            return prefix + "-mariadb-source";
        }

        String topic() {
            return prefix + "." + database + ".customers";
        }
    }

    @Test
    void statusCallsARunningTaskThatCapturesNothingStalledWithinABoundAndCapturingAgainAfterRecovery(Stack stack)
            throws Exception {
        // Debezium retries what internal.custom.retriable.exception matches; here also the missing grant, as it would any
        // lasting retriable error: the task restarts every 10 s and Connect keeps saying RUNNING.
        Capture capture = capture(stack, "status_it", "statusit", Map.of("internal.custom.retriable.exception",
                "(?s).*Access denied.*"));
        CaptureCheck check = check(stack, capture);
        AtomicInteger nextId = new AtomicInteger(2);
        try {
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);
            StatusRun healthy = runStatus(stack, capture);
            assertThat(healthy.exitCode()).as(healthy.output()).isZero();
            assertThat(healthy.output()).contains(capture.connector() + ": CAPTURING")
                    .contains("topic " + capture.topic() + ": last record");
            // A boolean, not doesNotContain: a failing assertion must not print the password either.
            assertThat(healthy.output().contains(capture.password())).as("status prints no password").isFalse();

            // The connector's user loses REPLICATION SLAVE and its binlog connection is cut: the reconnect is denied,
            // Debezium retries (or its binlog client hangs), Connect keeps saying RUNNING, nothing is captured.
            admin(stack, "REVOKE REPLICATION SLAVE ON *.* FROM '" + capture.user() + "'@'%'");
            killBinlogConnections(stack, capture.user());
            CaptureCheck.Result stalled = awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.STALLED);
            assertThat(String.join("\n", stalled.lines())).contains("task 0 RUNNING")
                    .contains("committed transaction").contains("(unchanged)");
            StatusRun stalledRun = runStatus(stack, capture);
            assertThat(stalledRun.exitCode()).as(stalledRun.output()).isEqualTo(3);
            assertThat(stalledRun.output()).contains(capture.connector() + ": STALLED");

            // Recovery as an operator does it: the grant back, and a restart of the task (the binlog client's own
            // reconnect may be stuck: in one run here it hung for minutes after the denied reconnect).
            admin(stack, "GRANT REPLICATION SLAVE ON *.* TO '" + capture.user() + "'@'%'");
            stack.connectRest().restart(capture.connector());
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);
            try (TopicReader reader = new TopicReader(stack.settings().bootstrapServers(), capture.topic())) {
                int last = nextId.get() - 1;
                reader.readUntil(WAIT, seen -> seen.stream().anyMatch(r -> new String(r.key()).equals(Integer.toString(last))));
            }
            StatusRun recovered = runStatus(stack, capture);
            assertThat(recovered.exitCode()).as(recovered.output()).isZero();
        } finally {
            stack.connectRest().delete(capture.connector());
        }
    }

    @Test
    void aServerIdClashFailsATaskStatusShowsTheCauseAndWatchRestartsItPausedIsNotCapturing(Stack stack)
            throws Exception {
        Capture capture = capture(stack, "failed_it", "failedit", Map.of());
        CaptureCheck check = check(stack, capture);
        AtomicInteger nextId = new AtomicInteger(2);
        ConnectRestClient rest = stack.connectRest();
        String intruder = "intruder-source";
        try {
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);

            // apply refuses a second connector with the same server id; registered behind its back (another tool,
            // an old file with a fixed id), the newcomer throws the first one out, which ends FAILED.
            Map<String, String> config = new java.util.HashMap<>(rest.config(capture.connector()).orElseThrow());
            config.put("name", intruder);
            config.put("topic.prefix", "intruder");
            config.put("schema.history.internal.kafka.topic", "intruder.schema-history");
            Path intruderFile = dir.resolve("intruder.json");
            JSON.writeValue(intruderFile.toFile(), Map.of("name", intruder, "config", config));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> stack.connectors(Map.of()).apply(intruderFile, WAIT))
                    .hasMessageContaining(intruder).hasMessageContaining(capture.connector());
            rest.putConfig(intruder, config);

            CaptureCheck.Result failed = awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.FAILED);
            assertThat(failed.verdict().details()).anyMatch(line -> line.startsWith("task 0 FAILED: ")
                    && line.contains("same server_uuid/server_id"));
            StatusRun failedRun = runStatus(stack, capture);
            assertThat(failedRun.exitCode()).as(failedRun.output()).isEqualTo(3);
            assertThat(failedRun.output()).contains("task 0 FAILED: ").contains("server_id");

            // watch restarts it (which throws the intruder out in turn); once the intruder is gone it stays up.
            List<String> log = new ArrayList<>();
            ConnectorWatch watch = new ConnectorWatch(rest, List.of(capture.connector()), Duration.ofSeconds(2),
                    Duration.ofSeconds(8), log::add, Clock.systemUTC());
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                watch.checkOnce();
                return log.stream().anyMatch(line -> line.contains("restarted the failed tasks"));
            });
            rest.delete(intruder);
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                watch.checkOnce();
                return rest.status(capture.connector()).map(ConnectorStatus::isRunning).orElse(false);
            });
            log.forEach(System.out::println);
            assertThat(log).anyMatch(line -> line.contains(capture.connector() + ": task 0 FAILED: ")
                    && line.contains("server_id") && line.contains("restarted the failed tasks (restart 1 in a row"));
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);

            rest.pause(capture.connector());
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.PAUSED);
            rest.resume(capture.connector());
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);
        } finally {
            rest.delete(intruder);
            rest.delete(capture.connector());
        }
    }

    /**
     * Polls status until it gives {@code expected}, inserting a row before each check so that the database always has
     * new changes (a stall shows only while changes wait). Fails with the last verdict after {@link #WAIT}.
     */
    private CaptureCheck.Result awaitVerdict(Stack stack, Capture capture, CaptureCheck check, AtomicInteger nextId,
                                             CaptureVerdict.State expected) {
        AtomicReference<CaptureCheck.Result> last = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            try (Connection db = stack.mariadb().adminConnection(capture.database())) {
                Sql.execute(db, "INSERT INTO customers VALUES (" + nextId.getAndIncrement() + ", 'row', 'gold')");
            }
            CaptureCheck.Result result = check.check(capture.connector(), WINDOW);
            last.set(result);
            System.out.println(String.join("\n", result.lines()));
            assertThat(result.verdict().state()).as(String.join("\n", result.lines())).isEqualTo(expected);
        });
        return last.get();
    }

    private Capture capture(Stack stack, String database, String prefix, Map<String, String> extraConfig)
            throws Exception {
        String user = database;
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        // Binlogged: a fresh server without any GTID trips Debezium's binlog client (see connectors/README.md).
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db, "CREATE DATABASE " + database,
                    "CREATE TABLE " + database + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "INSERT INTO " + database + ".customers VALUES (1, 'Ada', 'gold')");
        }
        admin(stack,
                "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO '"
                        + user + "'@'%'");
        Path secret = dir.resolve(prefix + ".properties");
        Files.createFile(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secret, "password=" + password + "\n");

        ObjectNode file = (ObjectNode) JSON.readTree(stack.layout().connectorsDir().resolve("debezium-mariadb.json").toFile());
        ObjectNode config = (ObjectNode) file.get("config");
        config.put("database.user", user);
        config.put("database.password", "${file:" + secret + ":password}");
        extraConfig.forEach(config::put);
        Path connectorFile = dir.resolve(prefix + ".json");
        JSON.writeValue(connectorFile.toFile(), file);

        Capture capture = new Capture(database, prefix, user, password, connectorFile);
        stack.connectors(Map.of("CDC_DATABASE_NAME", database, "CDC_TOPIC_PREFIX", prefix)).apply(connectorFile, WAIT);
        try (TopicReader reader = new TopicReader(stack.settings().bootstrapServers(), capture.topic())) {
            reader.readUntil(WAIT, seen -> !seen.isEmpty()); // the snapshot is through
        }
        return capture;
    }

    private static CaptureCheck check(Stack stack, Capture capture) {
        return new CaptureCheck(stack.connectRest(), new DatabaseLogin(
                Map.of(StackSecrets.PASSWORD_ENV, capture.password()), stack.settings().runDir()),
                stack.settings().bootstrapServers());
    }

    /** Administrative statements, kept out of the binlog (they carry passwords and are not the test's changes). */
    private static void admin(Stack stack, String... statements) throws Exception {
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db, "SET sql_log_bin = 0");
            Sql.execute(db, statements);
        }
    }

    private static void killBinlogConnections(Stack stack, String user) throws Exception {
        try (Connection db = stack.mariadb().adminConnection("");
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '"
                     + user + "' AND COMMAND LIKE 'Binlog Dump%'")) {
            List<Long> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
            assertThat(ids).as("binlog connections of " + user).isNotEmpty();
            for (long id : ids) {
                Sql.execute(db, "KILL CONNECTION " + id);
            }
        }
    }

    private record StatusRun(int exitCode, String output) {
    }

    /** The real command, {@code ops/connectors status}, as its own process with the stack's ports in its environment. */
    private StatusRun runStatus(Stack stack, Capture capture) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-D" + StackLayout.REPO_PROPERTY + "=" + stack.layout().repoRoot(),
                ConnectorsCommand.class.getName(), "status", "--window", "3", capture.file().toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Path log = Files.createTempFile(dir, "status", ".log");
        builder.redirectOutput(log.toFile());
        StackSettings settings = stack.settings();
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("CDC_"));
        env.put("CONNECT_URL", settings.connectUrl());
        env.put("KAFKA_PORT", Integer.toString(settings.kafkaPort()));
        env.put("KAFKA_CONTROLLER_PORT", Integer.toString(settings.controllerPort()));
        env.put("KAFKA_SASL_PORT", Integer.toString(settings.kafkaSaslPort()));
        env.put("CONNECT_PORT", Integer.toString(settings.connectPort()));
        env.put("MARIADB_PORT", Integer.toString(settings.mariadbPort()));
        env.put("REGISTRY_PORT", Integer.toString(settings.registryPort()));
        env.put("REGISTRY_MANAGEMENT_PORT", Integer.toString(settings.registryManagementPort()));
        env.put("STACK_RUN_DIR", settings.runDir().toString());
        env.put("CDC_DATABASE_NAME", capture.database());
        env.put("CDC_TOPIC_PREFIX", capture.prefix());
        env.put(StackSecrets.PASSWORD_ENV, capture.password());
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("ops/connectors status finished").isTrue();
        return new StatusRun(process.exitValue(), Files.readString(log));
    }
}
