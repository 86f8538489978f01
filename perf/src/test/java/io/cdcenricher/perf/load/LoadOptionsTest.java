package io.cdcenricher.perf.load;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadOptionsTest {

    private static final Path REPO = Path.of("/repo");

    private static LoadOptions parse(String... args) {
        return LoadOptions.parse(List.of(args), REPO);
    }

    @Test
    void aStepScheduleWithTheEnrichersConfig() {
        LoadOptions o = parse("--client-config", "c.properties", "--enricher-config", "e.yaml", "--template", "t.json",
                "--steps", "1k,2k", "--step-seconds", "5", "--run-id", "ci-1", "--out", "/tmp/x");
        assertThat(o.schedule().kind()).isEqualTo(LoadSchedule.Kind.STEPS);
        assertThat(o.schedule().stepSeconds()).isEqualTo(5);
        assertThat(o.runId()).isEqualTo("ci-1");
        assertThat(o.eventsTopic()).as("from the enricher's config later").isNull();
        assertThat(o.backlogBoundSeconds()).isEqualTo(10);
        assertThat(o.drainSeconds()).isEqualTo(30);
        assertThat(o.createTopics()).isFalse();
        assertThat(o.out()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void defaults() {
        LoadOptions o = parse("--client-config", "c", "--events-topic", "e", "--output-topic", "o", "--template", "t",
                "--rate", "500");
        assertThat(o.schedule().describe()).isEqualTo("constant 500.0 events/s for 60 s");
        assertThat(o.runId()).matches("load-\\d{8}-\\d{6}-[0-9a-f]{6}");
        assertThat(o.out().toString()).startsWith("/repo/perf/results/load-");
    }

    @Test
    void refusesWhatCannotWork() {
        assertThatThrownBy(() -> parse("--template", "t", "--rate", "1")).hasMessageContaining("--client-config is required");
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t"))
                .hasMessageContaining("exactly one schedule");
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--ramp", "1,+1")).hasMessageContaining("got --rate, --ramp");
        assertThatThrownBy(() -> parse("--client-config", "c", "--template", "t", "--rate", "1"))
                .hasMessageContaining("--events-topic and --output-topic are required without --enricher-config");
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--avro-schema", "s.avsc")).hasMessageContaining("--avro-schema and --registry-url go together");
        assertThatThrownBy(() -> parse("--bogus")).hasMessageContaining("unknown argument: --bogus");
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--run-id", "a/b")).hasMessageContaining("--run-id");
    }

    @Test
    void aWarmUpWithinTheFirstStep() {
        assertThat(parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1")
                .warmUp()).as("default: none").isEqualTo(WarmUp.NONE);
        assertThat(parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "28000",
                "--duration", "60", "--warmup-seconds", "10").warmUp().seconds()).isEqualTo(10);
        assertThat(parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--ramp", "1k,+1k",
                "--step-seconds", "20", "--warmup-seconds", "2.5").warmUp().seconds()).isEqualTo(2.5);
        assertThat(parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--steps", "1k",
                "--step-seconds", "20", "--warmup-seconds", "20").warmUp().seconds()).as("the whole first step").isEqualTo(20);
        assertThat(parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--warmup-seconds", "0").warmUp().any()).isFalse();
    }

    @Test
    void refusesAWarmUpThatIsNotASpanOfTheFirstStep() {
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--duration", "30", "--warmup-seconds", "31"))
                .hasMessage("--warmup-seconds 31 is longer than the first step (30 s, --duration): the warm-up is the "
                        + "start of the first step");
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--steps", "1,2",
                "--warmup-seconds", "45")).hasMessageContaining("--warmup-seconds 45 is longer than the first step (30 s, "
                + "--step-seconds)");
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--warmup-seconds", "-1")).hasMessage("--warmup-seconds: a number of seconds, 0 or more, not -1");
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--warmup-seconds", "ten")).hasMessage("--warmup-seconds: not a number: ten");
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--warmup-seconds", "NaN")).hasMessageContaining("--warmup-seconds: a number of seconds");
        assertThatThrownBy(() -> parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--warmup-seconds")).hasMessage("--warmup-seconds needs a value");
    }

    @Test
    void theReportedCommandLineMasksSecretRegistrySettings() {
        LoadOptions o = parse("--client-config", "c", "--enricher-config", "e", "--template", "t", "--rate", "1",
                "--avro-schema", "s.avsc", "--registry-url", "http://r", "--registry-property", "apicurio.auth.password=hunter2",
                "--registry-property", "apicurio.registry.auto-register=false");
        assertThat(o.commandLine()).doesNotContain("hunter2").contains("apicurio.auth.password=******",
                "apicurio.registry.auto-register=false");
        assertThat(o.registryProperties()).containsEntry("apicurio.auth.password", "hunter2");
    }

    @Test
    void theUsageNamesEveryOption() {
        for (String option : List.of("--client-config", "--enricher-config", "--events-topic", "--output-topic",
                "--dead-letter-topic", "--enricher-url", "--create-topics", "--partitions", "--template", "--entities",
                "--avro-schema", "--registry-url", "--registry-property", "--rate", "--duration", "--steps", "--ramp",
                "--step-seconds", "--backlog-bound", "--drain-seconds", "--warmup-seconds", "--run-id", "--seed", "--out", "--help")) {
            assertThat(LoadOptions.USAGE).contains(option);
        }
    }
}
