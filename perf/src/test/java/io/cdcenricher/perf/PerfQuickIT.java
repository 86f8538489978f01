package io.cdcenricher.perf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.cdcenricher.ops.StackLayout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code perf/run --quick} programmatically on its own stack (free ports, a temporary run directory) and checks
 * that the results folder is complete: every report section, the race (a warm-up run of each mode, every entry once in
 * each of the quick profile's two rounds, each run with its load averages, a median and a verdict per mode, ratios of
 * medians naming their basis), a positive rate for every mode, the CSV rows and a PNG. It asserts no timing: the
 * figures depend on the machine, and a too-noisy verdict is a finding, not a failure. The timeout only stops a hung
 * run: the race runs every mode three times (warm-up and two rounds), and on 2 shared cores at a load average of 17
 * the quick profile had finished the race after 11 minutes and was still measuring latency at 12.
 */
@Tag("integration")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class PerfQuickIT {

    @TempDir
    Path tmp;

    @Test
    void theQuickProfileWritesACompleteReport() throws Exception {
        Path out = tmp.resolve("results");
        // Fewer events than the quick profile's 200k, one injected RPC latency instead of two and shorter latency and
        // freshness phases: the test checks that the report is complete, never a figure, and the race runs each of
        // the 6 entries three times (warm-up and two rounds), which CI pays for.
        PerfOptions options = PerfOptions.parse(List.of("--quick", "--events", "50000", "--rpc-latency-ms", "0",
                "--warmup-seconds", "2", "--latency-seconds", "5", "--churn-seconds", "5", "--out", out.toString(),
                "--stack-dir", tmp.resolve("stack").toString()), StackLayout.locate().repoRoot());

        Path report = PerfRun.run(options, StackLayout.locate(), line -> System.out.println("[perf] " + line));

        String md = Files.readString(report);
        assertThat(ReportWriter.SECTIONS).allSatisfy(section -> assertThat(md).contains(section));
        assertThat(md).contains("perf/run --quick", "e2e enricher", "freshness", "enricher/passthrough",
                "enricher/diy", "enricher/rpc-0ms", "enricher-jar/enricher", "VmHWM", "start to ready",
                "The enricher ratios use **enricher**", "| warm-up |", "median of 2 throughput runs");

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv.get(0)).isEqualTo(ReportWriter.CSV_HEADER);
        List<String> header = List.of(ReportWriter.CSV_HEADER.split(","));
        int rate = header.indexOf("records_per_s");
        int p99 = header.indexOf("p99_ms");
        List<String[]> throughput = csv.stream().filter(l -> l.startsWith("throughput,")).map(l -> l.split(",", -1)).toList();
        List<String> entries = List.of("enricher-jar", "enricher", "enricher-partitioned", "diy", "passthrough",
                "rpc-0ms");
        assertThat(throughput).extracting(row -> row[1]).containsExactlyElementsOf(entries);
        assertThat(throughput).allSatisfy(row -> {
            assertThat(Double.parseDouble(row[rate])).as(row[1]).isPositive();
            assertThat(row[header.indexOf("runs")]).as(row[1] + " runs").isEqualTo("2");
            assertThat(row[header.indexOf("spread")]).as(row[1] + " spread").isNotEmpty();
            assertThat(row[header.indexOf("verdict")]).as(row[1] + " verdict").matches("ok|too noisy: .+");
        });

        List<String[]> warmUps = csv.stream().filter(l -> l.startsWith("warmup,")).map(l -> l.split(",", -1)).toList();
        assertThat(warmUps).extracting(row -> row[1]).containsExactlyElementsOf(entries);
        List<String[]> runs = csv.stream().filter(l -> l.startsWith("throughput-run,")).map(l -> l.split(",", -1)).toList();
        int round = header.indexOf("round");
        int position = header.indexOf("position");
        Map<String, List<String>> byRound = runs.stream().collect(Collectors.groupingBy(row -> row[round],
                Collectors.mapping(row -> row[1], Collectors.toList())));
        List<List<String>> schedule = RaceSchedule.rounds(entries, 2);
        assertThat(byRound).containsOnlyKeys("1", "2");
        assertThat(byRound.get("1")).containsExactlyElementsOf(schedule.get(0));
        assertThat(byRound.get("2")).containsExactlyElementsOf(schedule.get(1));
        assertThat(runs).allSatisfy(row -> {
            assertThat(Double.parseDouble(row[rate])).as(row[1] + " round " + row[round]).isPositive();
            assertThat(Integer.parseInt(row[position])).isBetween(1, entries.size());
            assertThat(row[header.indexOf("load_before")]).as("load before " + row[1]).isNotEmpty();
            assertThat(row[header.indexOf("load_after")]).as("load after " + row[1]).isNotEmpty();
        });
        assertThat(csv).anyMatch(l -> l.startsWith("ratio,enricher/passthrough,"));
        List<String[]> latency = csv.stream().filter(l -> l.startsWith("latency,") || l.startsWith("freshness,"))
                .map(l -> l.split(",", -1)).toList();
        assertThat(latency).hasSizeGreaterThanOrEqualTo(2);
        assertThat(latency).allSatisfy(row -> {
            assertThat(Long.parseLong(row[2])).as(row[1] + " samples").isPositive();
            assertThat(Double.parseDouble(row[p99])).as(row[1] + " p99").isPositive();
        });
        assertThat(csv).anyMatch(l -> l.startsWith("bootstrap,"));
        assertThat(csv).anyMatch(l -> l.startsWith("memory,"));

        byte[] png = Files.readAllBytes(out.resolve("chart.png"));
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
}
