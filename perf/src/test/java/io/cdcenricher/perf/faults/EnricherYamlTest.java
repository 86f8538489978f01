package io.cdcenricher.perf.faults;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cdcenricher.enricher.config.EnricherConfig;
import io.cdcenricher.enricher.config.EnricherConfigLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The config the harness gives each instance, read back by the enricher's own loader. */
class EnricherYamlTest {

    private static final List<ReferenceHistory.Table> TABLES = List.of(new ReferenceHistory.Table("customers", 100),
            new ReferenceHistory.Table("products", 10));

    private static EnricherConfig config(Map<String, String> overrides) {
        return EnricherConfigLoader.parse(FaultRun.enricherYaml("r1", "127.0.0.1:9092", "e", "o", "d",
                Path.of("/tmp/run/enricher-a/state"), TABLES, overrides));
    }

    @Test
    void byDefaultItIsWhatAUserWritesForTwoInstancesAndNothingTuned() {
        assertThat(config(Map.of()).kafka()).containsExactly(Map.entry("processing.guarantee", "exactly_once_v2"),
                Map.entry("num.standby.replicas", "1"), Map.entry("state.dir", "/tmp/run/enricher-a/state"));
    }

    @Test
    void overridesAreAddedAsStringsAndAnEmptyValueStaysEmpty() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("session.timeout.ms", "45000");
        overrides.put("group.instance.id", "");
        overrides.put("client.id", "a: b # not a comment");
        overrides.put("group.protocol", "streams");

        Map<String, String> kafka = config(overrides).kafka();

        assertThat(kafka).containsEntry("session.timeout.ms", "45000").containsEntry("group.instance.id", "")
                .containsEntry("client.id", "a: b # not a comment").containsEntry("group.protocol", "streams")
                .containsEntry("processing.guarantee", "exactly_once_v2").hasSize(7);
        assertThat(config(overrides).streamsProperties()).as("an empty id turns static membership off")
                .doesNotContainKey("group.instance.id");
    }

    @Test
    void anOverrideOfAUserSettingReplacesItInPlace() {
        Map<String, String> kafka = config(Map.of("num.standby.replicas", "0")).kafka();

        assertThat(kafka).containsExactly(Map.entry("processing.guarantee", "exactly_once_v2"),
                Map.entry("num.standby.replicas", "0"), Map.entry("state.dir", "/tmp/run/enricher-a/state"));
    }

    @Test
    void valuesAreQuotedAsYamlStrings() {
        assertThat(FaultRun.yamlString("")).isEqualTo("\"\"");
        assertThat(FaultRun.yamlString("45000")).isEqualTo("\"45000\"");
        assertThat(FaultRun.yamlString("say \"hi\"\n")).isEqualTo("\"say \\\"hi\\\"\\n\"");
    }
}
