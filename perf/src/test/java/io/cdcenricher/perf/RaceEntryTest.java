package io.cdcenricher.perf;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.cdcenricher.perf.PerfOptions.Mode.DIY;
import static io.cdcenricher.perf.PerfOptions.Mode.ENRICHER;
import static io.cdcenricher.perf.PerfOptions.Mode.PASSTHROUGH;
import static io.cdcenricher.perf.PerfOptions.Mode.RPC;
import static org.assertj.core.api.Assertions.assertThat;

class RaceEntryTest {

    @Test
    void theEnricherBringsTheJarAndTheInJvmOneAndRpcOneEntryPerLatency() {
        List<RaceEntry> entries = RaceEntry.expand(List.of(ENRICHER, DIY, RPC), List.of(0, 5));
        assertThat(entries).extracting(RaceEntry::label)
                .containsExactly("enricher-jar", "enricher", "diy", "rpc-0ms", "rpc-5ms");
        assertThat(entries.get(0).kind()).isEqualTo(RaceEntry.Kind.ENRICHER_JAR);
        assertThat(entries.get(4).rpcLatencyMs()).isEqualTo(5);
    }

    @Test
    void aModeListedTwiceIsTwoEntries() {
        List<RaceEntry> entries = RaceEntry.expand(List.of(ENRICHER, PASSTHROUGH, ENRICHER), List.of());
        assertThat(entries).extracting(RaceEntry::label).containsExactly(
                "enricher-jar#1", "enricher#1", "passthrough", "enricher-jar#2", "enricher#2");
        assertThat(entries).extracting(RaceEntry::variant).containsExactly(
                "enricher-jar", "enricher", "passthrough", "enricher-jar", "enricher");
        assertThat(entries.get(4).slug()).isEqualTo("enricher_2");
    }

    @Test
    void theWarmUpRunsEachVariantOnceEnricherFirst() {
        List<RaceEntry> entries = RaceEntry.expand(List.of(PASSTHROUGH, DIY, ENRICHER, DIY), List.of());
        assertThat(RaceEntry.warmUp(entries)).extracting(RaceEntry::label)
                .containsExactly("enricher-jar", "enricher", "diy", "passthrough");
    }

    @Test
    void labelsKnowTheirVariant() {
        assertThat(RaceEntry.variantOf("diy#2")).isEqualTo("diy");
        assertThat(RaceEntry.variantOf("rpc-1ms")).isEqualTo("rpc-1ms");
        assertThat(RaceEntry.isEnricher("enricher-partitioned")).isTrue();
        assertThat(RaceEntry.isEnricher("enricher-jar#1")).isTrue();
        assertThat(RaceEntry.isEnricher("passthrough")).isFalse();
    }
}
