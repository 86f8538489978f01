package io.cdcenricher.ops;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StackSettingsTest {

    private final StackLayout layout = new StackLayout(Path.of("/repo"));

    @Test
    void defaultsBindLoopbackOnTheUsualPorts() {
        StackSettings settings = StackSettings.fromEnvironment(layout, Map.of());

        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(settings.saslBootstrapServers()).isEqualTo("127.0.0.1:9094");
        assertThat(settings.connectUrl()).isEqualTo("http://127.0.0.1:8083");
        assertThat(settings.mariadbPort()).isEqualTo(3307);
        assertThat(settings.registryUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(settings.registryManagementPort()).isEqualTo(9001);
        assertThat(settings.runDir()).isEqualTo(Path.of("/repo/.run"));
    }

    @Test
    void registryPortsComeFromTheEnvironment() {
        StackSettings settings = StackSettings.fromEnvironment(layout,
                Map.of("REGISTRY_PORT", "18081", "REGISTRY_MANAGEMENT_PORT", "19001"));

        assertThat(settings.registryHostPort()).isEqualTo("127.0.0.1:18081");
        assertThat(settings.registryManagementPort()).isEqualTo(19001);
        assertThatThrownBy(() -> StackSettings.fromEnvironment(layout, Map.of("REGISTRY_MANAGEMENT_PORT", "x")))
                .hasMessageContaining("REGISTRY_MANAGEMENT_PORT=x");
    }

    @Test
    void freePortsAreDistinctForEveryListenerIncludingTheRegistry() {
        StackSettings settings = StackSettings.onFreePorts(Path.of("/tmp/run"));

        assertThat(java.util.Set.of(settings.kafkaPort(), settings.controllerPort(), settings.kafkaSaslPort(),
                settings.connectPort(), settings.mariadbPort(), settings.registryPort(),
                settings.registryManagementPort())).hasSize(7);
    }

    @Test
    void saslPortComesFromTheEnvironment() {
        StackSettings settings = StackSettings.fromEnvironment(layout, Map.of("KAFKA_SASL_PORT", "19094"));

        assertThat(settings.saslBootstrapServers()).isEqualTo("127.0.0.1:19094");
        assertThat(settings.bootstrapServers()).as("PLAINTEXT stays the default listener").isEqualTo("127.0.0.1:9092");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(layout, Map.of("KAFKA_SASL_PORT", "0")))
                .hasMessageContaining("KAFKA_SASL_PORT=0");
    }

    @Test
    void shorterConstructorsKeepTheDefaultSaslPort() {
        assertThat(new StackSettings(StackSettings.HOST, 1, 2, 3, 4, Path.of("/run")).kafkaSaslPort())
                .isEqualTo(StackSettings.DEFAULT_KAFKA_SASL_PORT);
        assertThat(new StackSettings(StackSettings.HOST, 1, 2, 3, 4, 5, 6, Path.of("/run")).kafkaSaslPort())
                .isEqualTo(StackSettings.DEFAULT_KAFKA_SASL_PORT);
    }

    @Test
    void environmentOverridesPortsAndRunDir() {
        StackSettings settings = StackSettings.fromEnvironment(layout,
                Map.of("KAFKA_PORT", "19092", "STACK_RUN_DIR", "/tmp/stack"));

        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:19092");
        assertThat(settings.runDir()).isEqualTo(Path.of("/tmp/stack"));
    }

    @Test
    void badPortNamesTheVariable() {
        assertThatThrownBy(() -> StackSettings.fromEnvironment(layout, Map.of("CONNECT_PORT", "80a")))
                .hasMessageContaining("CONNECT_PORT=80a");
        assertThatThrownBy(() -> StackSettings.fromEnvironment(layout, Map.of("MARIADB_PORT", "70000")))
                .hasMessageContaining("MARIADB_PORT");
    }

    @Test
    void portTakenTwiceNamesBothVariablesAndThePort() {
        assertThatThrownBy(() -> StackSettings.fromEnvironment(layout, Map.of("KAFKA_SASL_PORT", "9092")))
                .isInstanceOf(StackException.class)
                .hasMessage("KAFKA_SASL_PORT and KAFKA_PORT are both 9092: every listener of the stack needs a port"
                        + " of its own");
    }

    @Test
    void distinctPortsPassTheClashCheck() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("KAFKA_PORT", 19092);
        ports.put("CONNECT_PORT", 18083);
        ports.put("REGISTRY_PORT", 18081);

        assertThatCode(() -> StackSettings.validateDistinctPorts(ports)).doesNotThrowAnyException();
    }

    @Test
    void clashBetweenTwoOverriddenPortsNamesBoth() {
        assertThatThrownBy(() -> StackSettings.fromEnvironment(layout,
                Map.of("CONNECT_PORT", "18000", "REGISTRY_MANAGEMENT_PORT", "18000")))
                .hasMessageStartingWith("REGISTRY_MANAGEMENT_PORT and CONNECT_PORT are both 18000");
    }

    @Test
    void aClusterFromTheEnvironmentPutsNodeAndWorkerNAHundredPortsPerStepAboveTheFirst() {
        StackSettings settings = StackSettings.fromEnvironment(new StackLayout(Path.of("/repo")), Map.of(),
                new StackShape(3, 2));

        assertThat(settings.nodes()).containsExactly(new NodePorts(1, 9092, 9093, 9094),
                new NodePorts(2, 9192, 9193, 9194), new NodePorts(3, 9292, 9293, 9294));
        assertThat(settings.connectPorts()).containsExactly(8083, 8183);
        assertThat(settings.bootstrapServers()).isEqualTo("127.0.0.1:9092,127.0.0.1:9192,127.0.0.1:9292");
        assertThat(settings.connectUrl()).isEqualTo("http://127.0.0.1:8083");
        assertThat(settings.shape()).isEqualTo(new StackShape(3, 2));
    }

    @Test
    void aDerivedClusterPortThatClashesWithAnotherListenerNamesBoth() {
        assertThatThrownBy(() -> StackSettings.fromEnvironment(new StackLayout(Path.of("/repo")),
                Map.of("CONNECT_PORT", "9192"), new StackShape(3, 1)))
                .hasMessageContaining("KAFKA_PORT+100 (node 2)").hasMessageContaining("CONNECT_PORT");
    }

    @Test
    void aClusterOnFreePortsHasDistinctPortsForEveryNodeAndWorker() {
        StackSettings settings = StackSettings.onFreePorts(Path.of("/tmp/run"), new StackShape(3, 2));

        java.util.List<Integer> all = new java.util.ArrayList<>(settings.connectPorts());
        settings.nodes().forEach(n -> all.addAll(java.util.List.of(n.kafkaPort(), n.controllerPort(), n.saslPort())));
        all.addAll(java.util.List.of(settings.mariadbPort(), settings.registryPort(), settings.registryManagementPort()));
        assertThat(all).hasSize(14).doesNotHaveDuplicates();
        assertThat(settings.shape()).isEqualTo(new StackShape(3, 2));
    }
}
