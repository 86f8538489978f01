package io.cdcenricher.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How {@code ops/connectors status} logs in to the database a connector reads, to compare its binlog with the
 * committed offset: the connector's own host, port and user (its {@code REPLICATION CLIENT} grant is all that is
 * needed), and the password from {@value StackSecrets#PASSWORD_ENV} or, for the local stack, its secrets file. The
 * password is never printed, and a connector config's literal password is never used.
 */
public final class DatabaseLogin {

    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");

    private final Map<String, String> env;
    private final Path runDir;

    /**
     * @param env    the environment ({@value StackSecrets#USER_ENV}, {@value StackSecrets#PASSWORD_ENV})
     * @param runDir the local stack's run directory, whose {@code secrets/database.properties} is used when present
     */
    public DatabaseLogin(Map<String, String> env, Path runDir) {
        this.env = Map.copyOf(env);
        this.runDir = runDir;
    }

    /** A connection to the database of {@code connectorConfig} as its user; the caller closes it. */
    public Connection connect(Map<String, String> connectorConfig) throws SQLException {
        String host = connectorConfig.get("database.hostname");
        String port = connectorConfig.getOrDefault("database.port", "3306");
        if (host == null || host.isBlank()) {
            throw new StackException("the connector has no database.hostname: not a binlog connector");
        }
        String user = user(connectorConfig.getOrDefault("database.user", ""));
        return DriverManager.getConnection("jdbc:mariadb://" + host + ":" + port + "/?connectTimeout=3000"
                + "&socketTimeout=15000", user, password(user));
    }

    /** The user name: the config's literal, or what its {@code ${env:X}} reference resolves to here. */
    String user(String configured) {
        Matcher reference = ENV_REFERENCE.matcher(configured);
        if (!reference.matches()) {
            if (configured.contains("${")) { // another config provider (file, vault): only the worker can resolve it
                String value = env.get(StackSecrets.USER_ENV);
                if (value == null || value.isBlank()) {
                    throw new StackException("the connector's database.user is " + configured + ": set "
                            + StackSecrets.USER_ENV + " to the user it resolves to, so that status can log in");
                }
                return value;
            }
            return configured;
        }
        String value = env.get(reference.group(1));
        if (value != null && !value.isBlank()) {
            return value;
        }
        if (reference.group(1).equals(StackSecrets.USER_ENV)) {
            return StackSecrets.CDC_USER; // what ops/stack gives the worker
        }
        throw new StackException("the connector's database.user is " + configured + ": set " + reference.group(1)
                + " here too, so that status can log in as that user");
    }

    /** The password of {@code user}: {@value StackSecrets#PASSWORD_ENV}, else the local stack's for its cdc user. */
    String password(String user) {
        String value = env.get(StackSecrets.PASSWORD_ENV);
        if (value != null && !value.isEmpty()) {
            return value;
        }
        // Only read, never created: a run directory without secrets is not the stack this connector runs on.
        if (user.equals(StackSecrets.CDC_USER) && Files.isRegularFile(runDir.resolve("secrets/database.properties"))) {
            return new StackSecrets(runDir).cdcPassword();
        }
        throw new StackException("no password for database user " + user + ": set " + StackSecrets.PASSWORD_ENV
                + " to it, so that status can read the binlog position");
    }
}
