package io.cdcenricher.ops;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Applies connector files through the Connect REST API and waits until the connector and all its tasks are
 * RUNNING, failing with the task's trace when one FAILED. A binlog connector whose {@code database.server.id}
 * another registered connector already uses on the same database server is refused before anything is sent.
 */
public final class ConnectorDeployer {

    private final ConnectRestClient rest;
    private final Map<String, String> values;

    public ConnectorDeployer(ConnectRestClient rest, Map<String, String> values) {
        this.rest = rest;
        this.values = Map.copyOf(values);
    }

    /**
     * Placeholder values for the local stack, each overridable by an environment variable of the same name, so
     * the same files serve a user's own MySQL, Kafka and Connect. {@code CDC_DATABASE_SERVER_ID} has no default
     * here: unless it is set, {@link ConnectorConfig} derives it from the connector name.
     */
    public static Map<String, String> placeholderValues(StackSettings settings, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        values.put("CDC_DATABASE_HOST", settings.host());
        values.put("CDC_DATABASE_PORT", Integer.toString(settings.mariadbPort()));
        values.put("CDC_DATABASE_NAME", "shop");
        values.put("CDC_TOPIC_PREFIX", "demo");
        values.put("CDC_KAFKA_BOOTSTRAP", settings.bootstrapServers());
        values.put("CDC_REGISTRY_HOST_PORT", settings.registryHostPort());
        env.forEach((key, value) -> {
            if (key.startsWith("CDC_") && !key.equals(StackSecrets.PASSWORD_ENV)) {
                values.put(key, value);
            }
        });
        return values;
    }

    public ConnectorConfig load(Path file) {
        return ConnectorConfig.load(file, values);
    }

    public ConnectorStatus apply(Path file, Duration timeout) {
        ConnectorConfig connector = load(file);
        // Checked here rather than left to the database: there the clash shows only as one of the two tasks FAILED,
        // possibly the one that was running fine, and only after the second one connected.
        ServerIds.requireUnique(connector, rest.connectorConfigs());
        rest.putConfig(connector.name(), connector.config());
        return awaitRunning(connector.name(), timeout);
    }

    public ConnectorStatus awaitRunning(String name, Duration timeout) {
        try {
            return Poll.until(name + " to be RUNNING", timeout, Duration.ofMillis(250),
                    () -> new Observed(statusUnlessFailed(name)), Observed::running).status().orElseThrow();
        } catch (PollTimeoutException e) {
            throw new StackException(name + " is not RUNNING after " + timeout.toSeconds() + " s: "
                    + e.lastObservation(), e);
        }
    }

    /** One look at the connector, worded for the timeout's message. */
    private record Observed(Optional<ConnectorStatus> status) {
        boolean running() {
            return status.isPresent() && status.get().isRunning();
        }

        @Override
        public String toString() {
            return status.map(ConnectorStatus::summary).orElse("Connect does not know it");
        }
    }

    /** The connector's status; a FAILED one ends the wait with the failure's traces. */
    private Optional<ConnectorStatus> statusUnlessFailed(String name) {
        Optional<ConnectorStatus> status = rest.status(name);
        if (status.isPresent() && status.get().hasFailed()) {
            throw new StackException(status.get().summary() + "\n" + status.get().failureTraces());
        }
        return status;
    }
}
