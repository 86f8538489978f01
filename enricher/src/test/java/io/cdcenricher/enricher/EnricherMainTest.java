package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line up to the point where a broker would be needed. */
class EnricherMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EnricherMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void shouldPrintUsageForHelp() {
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: java -jar enricher.jar --config FILE");
    }

    @Test
    void shouldExitWithUsageOnBadArguments() {
        assertThat(run()).isEqualTo(2);
        assertThat(stderr()).contains("--config FILE is required").contains("Usage:");
        err.reset();
        assertThat(run("--config")).isEqualTo(2);
        err.reset();
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(stderr()).contains("unknown argument '--frobnicate'");
        err.reset();
        assertThat(run("--config", dir.resolve("absent.yaml").toString())).isEqualTo(2);
        assertThat(stderr()).contains("no such file");
    }

    @Test
    void shouldExitWithTheBadKeyOnInvalidConfig() throws IOException {
        Path config = Files.writeString(dir.resolve("enricher.yaml"), EnricherFixture.customerJoinYaml(
                "onMiss: wait\nmaterialization: partitioned"));

        assertThat(run("--config=" + config)).isEqualTo(2);
        assertThat(stderr()).contains("joins[0].onMiss: 'wait' is supported for materialization: global only");
    }

    @Test
    void shouldTakePartitionCountOfPartitionedJoinFromTheBrokerWhenNotConfigured() {
        EnricherConfig config = EnricherConfigLoader.parse(EnricherFixture.customerJoinYaml(
                "materialization: partitioned"));

        EnricherConfig resolved = EnricherMain.withCopartitioning(config, Map.of(EnricherFixture.CUSTOMERS, 6));

        assertThat(resolved.joins().get(0).partitions()).isEqualTo(6);
    }

    @Test
    void shouldRefuseToStartWhenTableTopicHasOtherPartitionCountThanConfigured() {
        EnricherConfig config = EnricherConfigLoader.parse(EnricherFixture.customerJoinYaml(
                "materialization: partitioned\npartitions: 4"));

        assertThatThrownBy(() -> EnricherMain.withCopartitioning(config, Map.of(EnricherFixture.CUSTOMERS, 6)))
                .isInstanceOf(EnricherMain.StartupException.class)
                .hasMessageStartingWith("join 'customer' (materialization: partitioned) is configured for 4 "
                        + "partition(s) but its table topic 'demo.shop.customers' has 6");
    }

    @Test
    void shouldLeaveGlobalJoinsAloneInTheCopartitioningCheck() {
        EnricherConfig config = EnricherConfigLoader.parse(EnricherFixture.customerJoinYaml(""));

        assertThat(EnricherMain.withCopartitioning(config, Map.of())).isEqualTo(config);
    }
}
