package io.cdcenricher.perf;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RaceRatiosTest {

    private static ModeSummary summary(String entry, double... rates) {
        List<Double> list = java.util.Arrays.stream(rates).boxed().toList();
        return ModeSummary.of(entry, list, list.stream().map(r -> 0.5).toList(), 2);
    }

    private static Map<String, Double> byName(List<RaceRatios.Ratio> ratios) {
        return ratios.stream().collect(Collectors.toMap(RaceRatios.Ratio::name, RaceRatios.Ratio::value));
    }

    @Test
    void theEnricherMedianAgainstEachBaselineMedian() {
        List<ModeSummary> s = List.of(
                summary("enricher-jar", 60, 62, 64),
                summary("enricher", 70, 80, 75),
                summary("enricher-partitioned", 40, 41, 42),
                summary("diy", 50, 52, 51),
                summary("passthrough", 150, 140, 145),
                summary("rpc-1ms", 0.5, 0.5, 0.5));
        Map<String, Double> ratios = byName(RaceRatios.of(s));
        assertThat(ratios).containsOnlyKeys("enricher/diy", "enricher/passthrough", "enricher/rpc-1ms",
                "enricher-jar/enricher");
        assertThat(ratios.get("enricher/diy")).isEqualTo(75.0 / 51);
        assertThat(ratios.get("enricher/passthrough")).isEqualTo(75.0 / 145);
        assertThat(ratios.get("enricher-jar/enricher")).isEqualTo(62.0 / 75);
        assertThat(RaceRatios.basis(s)).get().extracting(ModeSummary::entry).isEqualTo("enricher");
    }

    @Test
    void theInMemoryEnricherIsSetAgainstTheRocksDbOneNotAgainstTheBaselines() {
        List<ModeSummary> s = List.of(summary("enricher", 70, 80, 75), summary("enricher-in-memory", 90, 100, 95),
                summary("passthrough", 150, 140, 145));
        Map<String, Double> ratios = byName(RaceRatios.of(s));
        assertThat(ratios).containsOnlyKeys("enricher/passthrough", "enricher-in-memory/enricher");
        assertThat(ratios.get("enricher-in-memory/enricher")).isEqualTo(95.0 / 75);
    }

    @Test
    void repeatedEntriesUseTheirFirstListingAndShowTheNoiseBetweenThem() {
        List<ModeSummary> s = List.of(
                summary("enricher-jar#1", 60), summary("enricher#1", 80), summary("diy", 40),
                summary("enricher-jar#2", 66), summary("enricher#2", 88));
        Map<String, Double> ratios = byName(RaceRatios.of(s));
        assertThat(ratios).containsOnlyKeys("enricher#1/diy", "enricher-jar#1/enricher#1",
                "enricher-jar#2/enricher-jar#1", "enricher#2/enricher#1");
        assertThat(ratios.get("enricher#1/diy")).isEqualTo(2.0);
        assertThat(ratios.get("enricher#2/enricher#1")).isEqualTo(1.1);
    }

    @Test
    void aRatioFromANoisyEntrySaysSo() {
        List<RaceRatios.Ratio> ratios = RaceRatios.of(List.of(summary("enricher", 100, 60), summary("diy", 50, 51)));
        assertThat(ratios).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("enricher/diy");
            assertThat(r.note()).contains("medians of 2 and 2 runs", "too noisy");
        });
    }

    @Test
    void withoutTheEnricherOnlyRepeatsHaveRatios() {
        Map<String, Double> ratios = byName(RaceRatios.of(List.of(summary("diy#1", 50), summary("diy#2", 45))));
        assertThat(ratios).containsOnlyKeys("diy#2/diy#1");
        assertThat(RaceRatios.basis(List.of(summary("diy", 1)))).isEmpty();
    }
}
