package io.cdcenricher.enricher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
