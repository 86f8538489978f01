package io.cdcenricher.enricher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The identity and state directory an instance gets without any Kafka settings: the defaults users run with. A state
 * directory shared by two checkouts let one start from the other's stores; no stable identity cost a minute of output
 * per crash.
 */
class InstanceIdentityTest {

    private static final String YAML = """
            applicationId: identity-test
            bootstrapServers: 127.0.0.1:9092
            %s
            topics: {events: e, output: o, deadLetter: d}
            joins:
              - {name: customer, topic: t, foreignKey: customerId, fields: [name]}
            """;

    @TempDir
    Path dir;

    private Properties loaded(Path file, String kafka) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, YAML.formatted(kafka));
        return EnricherConfigLoader.load(file).streamsProperties();
    }

    @Test
    void twoConfigurationFilesGetTwoStateDirectoriesAndTwoIdentities() throws IOException {
        Properties a = loaded(dir.resolve("checkout-a/demo.yaml"), "");
        Properties b = loaded(dir.resolve("checkout-b/demo.yaml"), "");

        assertThat(a.getProperty("state.dir")).isNotEqualTo(b.getProperty("state.dir"))
                .doesNotStartWith("/tmp/kafka-streams");
        assertThat(a.getProperty("group.instance.id")).isNotEqualTo(b.getProperty("group.instance.id"));
    }

    @Test
    void theSameFileGivesTheSameStateDirectoryAndIdentityOnEveryStart() throws IOException {
        Path file = dir.resolve("enricher.yaml");

        Properties first = loaded(file, "");
        Properties second = loaded(file, "");

        assertThat(second.getProperty("state.dir")).isEqualTo(first.getProperty("state.dir"));
        assertThat(second.getProperty("group.instance.id")).isEqualTo(first.getProperty("group.instance.id"))
                .startsWith(InstanceIdentity.hostName().replaceAll("[^A-Za-z0-9._-]", "_") + "-");
    }

    @Test
    void theIdentityFollowsAnExplicitStateDirectory() throws IOException {
        Path file = dir.resolve("enricher.yaml");

        Properties one = loaded(file, "kafka: {state.dir: /var/lib/enricher/one}");
        Properties two = loaded(file, "kafka: {state.dir: /var/lib/enricher/two}");

        assertThat(one.getProperty("state.dir")).isEqualTo("/var/lib/enricher/one");
        assertThat(one.getProperty("group.instance.id")).isNotEqualTo(two.getProperty("group.instance.id"));
    }

    @Test
    void anExplicitIdentityWins() throws IOException {
        Properties props = loaded(dir.resolve("enricher.yaml"), "kafka: {group.instance.id: enricher-0}");

        assertThat(props.getProperty("group.instance.id")).isEqualTo("enricher-0");
    }

    @Test
    void anEmptyIdentityMeansDynamicMembership() throws IOException {
        Properties props = loaded(dir.resolve("enricher.yaml"), "kafka: {group.instance.id: ''}");

        assertThat(props).doesNotContainKey("group.instance.id");
    }

    @Test
    void theStreamsProtocolGetsNoIdentityBecauseKafka43CannotUseOne() throws IOException {
        Properties props = loaded(dir.resolve("enricher.yaml"), "kafka: {group.protocol: streams}");

        assertThat(props).doesNotContainKey("group.instance.id");
    }

    @Test
    void theSessionTimeoutDefaultsTo15SecondsAndCanBeChanged() throws IOException {
        assertThat(loaded(dir.resolve("a.yaml"), "").getProperty("session.timeout.ms")).isEqualTo("15000");
        assertThat(loaded(dir.resolve("b.yaml"), "kafka: {session.timeout.ms: 45000}")
                .getProperty("session.timeout.ms")).isEqualTo("45000");
    }

    @Test
    void parsedTextWithoutAFileGetsNoFileDependentDefaults() {
        EnricherConfig config = EnricherConfigLoader.parse(YAML.formatted(""));

        assertThat(config.kafka()).isEqualTo(Map.of());
    }
}
