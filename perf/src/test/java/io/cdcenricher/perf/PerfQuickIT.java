package io.cdcenricher.perf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.cdcenricher.ops.StackLayout;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@code perf/run --quick} programmatically on its own stack (free ports, a temporary run directory) and checks
 * that the results folder is complete: every report section, a positive rate for every mode, the CSV rows and a PNG.
 * It asserts no timing: the figures depend on the machine.
 */
@Tag("integration")
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PerfQuickIT {

    @TempDir
    Path tmp;

    @Test
    void theQuickProfileWritesACompleteReport() throws Exception {
        Path out = tmp.resolve("results");
        PerfOptions options = PerfOptions.parse(List.of("--quick", "--out", out.toString(),
                "--stack-dir", tmp.resolve("stack").toString()), StackLayout.locate().repoRoot());

        Path report = PerfRun.run(options, StackLayout.locate(), line -> System.out.println("[perf] " + line));

        String md = Files.readString(report);
        assertThat(ReportWriter.SECTIONS).allSatisfy(section -> assertThat(md).contains(section));
        assertThat(md).contains("perf/run --quick", "e2e enricher", "freshness", "enricher/passthrough",
                "enricher/diy", "enricher/rpc-0ms", "VmHWM", "start to ready");

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertThat(csv.get(0)).isEqualTo(ReportWriter.CSV_HEADER);
        List<String> header = List.of(ReportWriter.CSV_HEADER.split(","));
        int rate = header.indexOf("records_per_s");
        int p99 = header.indexOf("p99_ms");
        List<String[]> throughput = csv.stream().filter(l -> l.startsWith("throughput,")).map(l -> l.split(",", -1)).toList();
        assertThat(throughput).extracting(row -> row[1])
                .containsExactlyInAnyOrder("enricher-jar", "enricher", "enricher-partitioned", "diy", "passthrough",
                        "rpc-0ms", "rpc-1ms");
        assertThat(throughput).allSatisfy(row -> assertThat(Double.parseDouble(row[rate])).as(row[1]).isPositive());
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
