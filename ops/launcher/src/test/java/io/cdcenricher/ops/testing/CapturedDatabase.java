package io.cdcenricher.ops.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenricher.ops.CaptureCheck;
import io.cdcenricher.ops.ConnectorsCommand;
import io.cdcenricher.ops.DatabaseLogin;
import io.cdcenricher.ops.Sql;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackLayout;
import io.cdcenricher.ops.StackSecrets;
import io.cdcenricher.ops.StackSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database with a {@code customers} table captured by a connector made from {@code connectors/debezium-mariadb.json}
 * that reads MariaDB as a user of its own (password in a 0600 file the worker's FileConfigProvider resolves), so
 * that taking that user's replication grant away or killing its binlog connection touches no other test's connector.
 */
public final class CapturedDatabase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Stack stack;
    private final Path dir;
    private final String database;
    private final String prefix;
    private final String password;
    private final Path file;

    private CapturedDatabase(Stack stack, Path dir, String database, String prefix, String password, Path file) {
        this.stack = stack;
        this.dir = dir;
        this.database = database;
        this.prefix = prefix;
        this.password = password;
        this.file = file;
    }

    /**
     * Creates database {@code database} (with customer 1), its user and a connector with topic prefix {@code prefix}
     * (and {@code extraConfig} over the template's settings), applies it and waits until the snapshot is through.
     */
    public static CapturedDatabase create(Stack stack, Path dir, String database, String prefix,
                                          Map<String, String> extraConfig) throws Exception {
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        // Binlogged: a fresh server without any GTID trips Debezium's binlog client (see connectors/README.md).
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db, "CREATE DATABASE " + database,
                    "CREATE TABLE " + database + ".customers (id INT PRIMARY KEY, name VARCHAR(50), tier VARCHAR(20))",
                    "INSERT INTO " + database + ".customers VALUES (1, 'Ada', 'gold')");
        }
        String user = database;
        admin(stack,
                "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + password + "'",
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO '"
                        + user + "'@'%'");
        Path secret = dir.resolve(prefix + ".properties");
        Files.createFile(secret, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(secret, "password=" + password + "\n");

        ObjectNode template = (ObjectNode) JSON.readTree(
                stack.layout().connectorsDir().resolve("debezium-mariadb.json").toFile());
        ObjectNode config = (ObjectNode) template.get("config");
        config.put("database.user", user);
        config.put("database.password", "${file:" + secret + ":password}");
        extraConfig.forEach(config::put);
        Path file = dir.resolve(prefix + ".json");
        JSON.writeValue(file.toFile(), template);

        CapturedDatabase capture = new CapturedDatabase(stack, dir, database, prefix, password, file);
        stack.connectors(Map.of("CDC_DATABASE_NAME", database, "CDC_TOPIC_PREFIX", prefix)).apply(file, WAIT);
        try (TopicReader reader = new TopicReader(stack.settings().bootstrapServers(), capture.topic())) {
            reader.readUntil(WAIT, seen -> !seen.isEmpty());
        }
        return capture;
    }

    public String database() {
        return database;
    }

    public String prefix() {
        return prefix;
    }

    /** The database user the connector logs in as (named like the database). */
    public String user() {
        return database;
    }

    public String password() {
        return password;
    }

    /** The connector file, as {@code ops/connectors} reads it. */
    public Path file() {
        return file;
    }

    public String connector() {
        return prefix + "-mariadb-source";
    }

    /** The table topic of {@code customers}. */
    public String topic() {
        return prefix + "." + database + ".customers";
    }

    /** The connector's Debezium heartbeat topic. */
    public String heartbeatTopic() {
        return "__debezium-heartbeat." + prefix;
    }

    /** {@code ops/connectors status} in this process. */
    public CaptureCheck check() {
        return new CaptureCheck(stack.connectRest(), new DatabaseLogin(
                Map.of(StackSecrets.PASSWORD_ENV, password), stack.settings().runDir()),
                stack.settings().bootstrapServers());
    }

    /** Takes the connector user's REPLICATION SLAVE grant away and cuts its binlog connections. */
    public void blockReplication() throws Exception {
        admin(stack, "REVOKE REPLICATION SLAVE ON *.* FROM '" + user() + "'@'%'");
        killBinlogConnections();
    }

    /** Gives the grant back (the task still needs a restart: see CaptureStatusIT). */
    public void allowReplication() throws Exception {
        admin(stack, "GRANT REPLICATION SLAVE ON *.* TO '" + user() + "'@'%'");
    }

    public void insertCustomer(int id) throws Exception {
        try (Connection db = stack.mariadb().adminConnection(database)) {
            Sql.execute(db, "INSERT INTO customers VALUES (" + id + ", 'row', 'gold')");
        }
    }

    /** Administrative statements, kept out of the binlog (they carry passwords and are not the test's changes). */
    private static void admin(Stack stack, String... statements) throws Exception {
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db, "SET sql_log_bin = 0");
            Sql.execute(db, statements);
        }
    }

    private void killBinlogConnections() throws Exception {
        try (Connection db = stack.mariadb().adminConnection("");
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '"
                     + user() + "' AND COMMAND LIKE 'Binlog Dump%'")) {
            List<Long> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
            assertThat(ids).as("binlog connections of " + user()).isNotEmpty();
            for (long id : ids) {
                Sql.execute(db, "KILL CONNECTION " + id);
            }
        }
    }

    /** What {@code ops/connectors status} printed and its exit code. */
    public record StatusRun(int exitCode, String output) {
    }

    /**
     * The real command, {@code ops/connectors status}, as its own process with the stack's ports in its environment.
     */
    public StatusRun runStatus() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-D" + StackLayout.REPO_PROPERTY + "=" + stack.layout().repoRoot(),
                ConnectorsCommand.class.getName(), "status", "--window", "3", file.toString());
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
        env.put("CDC_DATABASE_NAME", database);
        env.put("CDC_TOPIC_PREFIX", prefix);
        env.put(StackSecrets.PASSWORD_ENV, password);
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("ops/connectors status finished").isTrue();
        return new StatusRun(process.exitValue(), Files.readString(log));
    }
}
