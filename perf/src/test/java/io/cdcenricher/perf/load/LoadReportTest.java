package io.cdcenricher.perf.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class LoadReportTest {

    static StepResult step(int n, double rate, boolean sustained) {
        return new StepResult(n, rate, 10, (long) (rate * 10), rate, rate * 0.99, (long) (rate * 9), (long) (rate / 10),
                0, (long) (rate / 10 - rate / 10), (long) (rate * 10), n == 1 ? 50 : 0, 12.5, 20, 40.25, 80, 95, 300, 20, 0, sustained,
                sustained ? "sustained" : "not sustained: backlog growing",
                Map.of("customer", Map.of("hit", (long) (rate * 8), "miss", (long) rate)), Map.of("unknown-event-type", (long) (rate / 10)));
    }

    /** Step 1's 2 s of warm-up (a slow first second), a stall in second 3, step 2, a second of drain. */
    static List<LatencyTimeline.Second> timeline() {
        return List.of(
                new LatencyTimeline.Second(0, 1, true, 100, 100, 40, 60, 0, 40, 900, 2500, 2600, 0),
                new LatencyTimeline.Second(1, 1, true, 100, 100, 150, 10, 0, 150, 30, 60, 70, 0),
                new LatencyTimeline.Second(2, 1, false, 100, 100, 100, 10, 0, 100, 12, 20, 25, 4),
                new LatencyTimeline.Second(3, 1, false, 100, 100, 20, 90, 1234, 20, 15, 480.5, 500, 310),
                new LatencyTimeline.Second(4, 2, false, 200, 200, 280, 10, 0, 280, 300, 450, 470, 0),
                new LatencyTimeline.Second(5, LatencyTimeline.DRAIN, false, 0, 0, 10, 0, 0, 10, 11, 13, 13, 1));
    }

    static LoadReport.Outcome outcome(List<StepResult> steps) {
        return outcome(steps, timeline());
    }

    static LoadReport.Outcome outcome(List<StepResult> steps, List<LatencyTimeline.Second> timeline) {
        return new LoadReport.Outcome("perf/load --client-config c.properties --steps 100,200", "run-1", Instant.EPOCH,
                Instant.EPOCH.plusSeconds(30), false, "steps of 10 s at 100.0, 200.0 events/s",
                "sustainable rate: 100.0 events/s (the next step, 200.0 events/s, was not sustained)", OptionalDouble.of(100),
                true, steps, Map.of("bootstrap.servers", "b:9092", "sasl.jaas.config", "******"), "c.properties",
                "shop.orders", "shop.orders.enriched", "shop.orders.dlq", 1, "enricher.yaml", null, "json", "order.json",
                "{\"id\":\"run-1-0\"}", 0, 10, 30, new WarmUp(5), 5, 0, "2 cores", List.of("a note"), timeline);
    }

    @Test
    void writesTheReportTheCsvAndTheChart(@TempDir Path dir) throws Exception {
        Path report = LoadReport.write(outcome(List.of(step(1, 100, true), step(2, 200, false))), dir);

        String md = Files.readString(report);
        assertThat(LoadReport.SECTIONS).allSatisfy(section -> assertThat(md).contains(section));
        assertThat(md).contains("perf/load --client-config c.properties --steps 100,200",
                "**sustainable rate: 100.0 events/s (the next step, 200.0 events/s, was not sustained)**",
                "| customer: hit | customer: miss |", "| 1 | 800 | 100 |", "unknown-event-type",
                "| &nbsp;&nbsp;sasl.jaas.config | ****** |", "40.3 ms", "not sustained: backlog growing", "- a note",
                "p99.9 80.0 ms (first 5 s not recorded: 50 events); sustained",
                "Step 1's latencies leave out the events due in its first 5 s (the warm-up)",
                "| warm-up | the first 5 s of step 1: its events sent, matched and counted, their latencies not recorded |");
        assertThat(md).as("only step 1 has a warm-up").doesNotContain("p99.9 80.0 ms (first 5 s not recorded: 0 events)");
        List<String> csv = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(csv.get(0)).isEqualTo(LoadReport.CSV_HEADER);
        int columns = LoadReport.CSV_HEADER.split(",").length;
        assertThat(csv).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(columns));
        assertThat(csv).filteredOn(l -> l.startsWith("step,")).hasSize(2);
        List<String> header = List.of(LoadReport.CSV_HEADER.split(","));
        assertThat(csv.get(1).split(",")[header.indexOf("latency_count")]).isEqualTo("1000");
        assertThat(csv.get(1).split(",")[header.indexOf("warmup_events")]).isEqualTo("50");
        assertThat(csv.get(2).split(",")[header.indexOf("warmup_events")]).isEqualTo("0");
        assertThat(csv).contains("status,1" + ",".repeat(20) + ",customer,hit,800",
                "dead-letter,2" + ",".repeat(20) + ",,unknown-event-type,20");
        assertThat(Files.readAllBytes(dir.resolve("chart.png"))).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(Files.readAllLines(dir.resolve("timeline.csv"))).hasSize(7).first().isEqualTo(LatencyTimeline.CSV_HEADER);
    }

    @Test
    void theTimelineSectionListsTheSlowestSecondsAfterTheWarmUpAndTheHarnessGc() {
        String md = LoadReport.markdown(outcome(List.of(step(1, 100, true), step(2, 200, true))));
        String section = md.substring(md.indexOf("## Timeline"), md.indexOf("## Settings"));
        assertThat(section).contains("`timeline.csv` (6 rows", "The 4 seconds with the highest p99 after the warm-up:",
                "| 3 | 1 | 480.5 ms | 500.0 ms | 20 | 90 | 1,234 | 310 ms |", "| 5 | drain | 13.0 ms |",
                "| 1 | 4 | 314 ms | 310 ms |", "| 2 | 1 | 0 ms | 0 ms |", "| drain | 1 | 1 ms | 1 ms |",
                "Harness GC up then");
        assertThat(section).as("the warm-up's 2.5 s second is not among them").doesNotContain("2500");
        assertThat(section.indexOf("| 3 | 1 |")).as("highest first").isLessThan(section.indexOf("| 4 | 2 |"));
    }

    @Test
    void anEmptyRunStillWritesAReport(@TempDir Path dir) throws Exception {
        Path report = LoadReport.write(outcome(List.of(), List.of()), dir);
        assertThat(Files.readString(report)).contains("## Timeline\n\nNo second was sampled.");
        assertThat(Files.readAllLines(dir.resolve("timeline.csv"))).containsExactly(LatencyTimeline.CSV_HEADER);
        assertThat(Files.readString(report)).contains("No enriched event was read.");
        assertThat(dir.resolve("chart.png")).exists();
    }
}
