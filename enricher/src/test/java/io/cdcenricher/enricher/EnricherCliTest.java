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
import picocli.CommandLine;

/** The command line without a broker: help, usage errors and configuration errors with their exit codes. */
class EnricherCliTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return EnricherCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldListTheSubcommandsInTheTopLevelHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("run").contains("validate").contains("reset");
    }

    @Test
    void shouldExplainEachSubcommandWithHelp() {
        assertThat(run("run", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--http-port").contains("--config");
        assertThat(run("reset", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--yes");
        assertThat(run("validate", "--help")).isZero();
    }

    @Test
    void shouldListEveryConfigurationKeyInValidateHelp() {
        assertThat(run("validate", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Configuration keys:")
                .contains("  joins[].maxCaptureLag (duration").contains("  waitBuffer.maxBytes (")
                .contains("  kafka.session.timeout.ms (");
    }

    @Test
    void shouldExitTwoWithoutASubcommandOrWithAMissingConfig() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("validate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--config");
    }

    @Test
    void shouldNameTheBadKeyWhenValidatingAnInvalidConfig() throws IOException {
        Path config = Files.writeString(dir.resolve("bad.yaml"), EnricherFixture.customerJoinYaml("onMiss: sometimes"));

        assertThat(run("validate", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("joins[0].onMiss");
    }

    @Test
    void shouldKeepTheOriginalFormWithoutASubcommand() {
        assertThat(run("--config", dir.resolve("absent.yaml").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file");
    }

    @Test
    void shouldTakeTheOriginalFormsOptionsInAnyOrder() throws IOException {
        Path config = Files.writeString(dir.resolve("ok.yaml"), EnricherFixture.customerJoinYaml(""));

        for (String[] args : new String[][] {
                {"--config", config.toString(), "--http-port", "0", "--http-host", "0.0.0.0"},
                {"--http-port", "0", "--http-host", "0.0.0.0", "--config", config.toString()},
                {"--http-host=0.0.0.0", "--config=" + config, "--http-port=0"}}) {
            EnricherCli cli = new EnricherCli();
            new CommandLine(cli).parseArgs(args);

            assertThat(cli.config).as(String.join(" ", args)).isEqualTo(config);
            assertThat(new HttpOptions(cli.httpHost, cli.httpPort)).isEqualTo(new HttpOptions("0.0.0.0", 0));
        }
    }

    @Test
    void shouldReachTheConfigurationWhateverTheOrderOfTheOptions() throws IOException {
        Path config = Files.writeString(dir.resolve("bad.yaml"), EnricherFixture.customerJoinYaml(
                "onMiss: wait\nmaterialization: partitioned"));

        assertThat(run("--http-port", "0", "--config", config.toString())).isEqualTo(2);
        assertThat(run("--config=" + config, "--http-port", "0")).isEqualTo(2);

        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("Unknown option")
                .contains("joins[0].onMiss: 'wait' is supported for materialization: global only");
    }

    @Test
    void shouldShowTheHelpInTheOriginalForm() throws IOException {
        Path config = Files.writeString(dir.resolve("ok.yaml"), EnricherFixture.customerJoinYaml(""));

        assertThat(run("--config", config.toString(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("run").contains("validate");
    }

    @Test
    void shouldExitTwoOnBadArgumentsInTheOriginalForm() {
        assertThat(run("--config")).isEqualTo(2);
        assertThat(run("--http-port", "0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--config FILE is required");
        assertThat(run("--frobnicate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("'--frobnicate'");
        assertThat(run("--config", dir.resolve("absent.yaml").toString(), "--http-port", "eighty")).isEqualTo(2);
    }

    @Test
    void shouldRejectANonNumericHttpPort() throws IOException {
        Path config = Files.writeString(dir.resolve("ok.yaml"), EnricherFixture.customerJoinYaml(""));

        assertThat(run("run", "--config", config.toString(), "--http-port", "eighty")).isEqualTo(2);
    }
}
