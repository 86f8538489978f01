package io.cdcenricher.perf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

    @TempDir
    Path dir;

    static RunResults sample() {
        RunResults r = new RunResults();
        r.commandLine = "perf/run --quick";
        r.machine.put("cores (available to the JVM)", "2");
        r.settings.put("profile", "quick");
        r.cores = 2;
        r.runs.add(new RunResults.Run(0, 1, new RunResults.Throughput("enricher", 20_000, 16_000, 0.4, 350, "warm"), 0.5, 1.0));
        // round 1 runs the list as given, round 2 rotated; the enricher's runs lie 10% apart, diy's 40%
        r.runs.add(run(1, 1, "enricher", 80_000, 1.0));
        r.runs.add(run(1, 2, "passthrough", 100_000, 1.5));
        r.runs.add(run(1, 3, "diy", 40_000, 1.6));
        r.runs.add(new RunResults.Run(1, 4, new RunResults.Throughput("rpc-1ms", 1_000, 800, 8.0, 352, "subset"), 1.6, 1.7));
        r.runs.add(run(2, 1, "passthrough", 100_000, 1.2));
        r.runs.add(run(2, 2, "diy", 60_000, 1.3));
        r.runs.add(new RunResults.Run(2, 3, new RunResults.Throughput("rpc-1ms", 1_000, 800, 8.0, 352, "subset"), 1.5, 1.4));
        r.runs.add(run(2, 4, "enricher", 88_000, Double.NaN));
        Histogram h = new Histogram(3_600_000_000L, 3);
        h.recordValue(15_000);
        r.latencies.add(RunResults.Latency.fromMicros("e2e enricher", h, 40_000, "open loop"));
        r.latencies.add(RunResults.Latency.fromMicros("freshness", h, 20, "200 UPDATEs"));
        r.bootstrap.add(new RunResults.Figure("enricher process start to RUNNING", 4.2, "s", ""));
        r.memory.add(new RunResults.Figure("enricher peak RSS (VmHWM)", 420, "MB", "separate JVM"));
        r.notes.add("one run");
        r.totalSeconds = 150;
        return r;
    }

    /** A run at {@code recordsPerSecond} over a 2-second window, with the load before it. */
    private static RunResults.Run run(int round, int position, String mode, long recordsPerSecond, double loadBefore) {
        return new RunResults.Run(round, position, new RunResults.Throughput(mode, 200_000, 2 * recordsPerSecond, 2.0,
                350, ""), loadBefore, 1.0);
    }

    @Test
    void theReportHasEverySectionInOrderAndTheCommandLine() {
        String md = ReportWriter.markdown(sample());
        int last = -1;
        for (String section : ReportWriter.SECTIONS) {
            int at = md.indexOf(section);
            assertThat(at).as(section).isGreaterThan(last);
            last = at;
        }
        assertThat(md).contains("perf/run --quick", "| enricher |", "| rpc-1ms |", "e2e enricher", "freshness",
                "enricher process start to RUNNING", "420 MB", "chart.png");
    }

    @Test
    void theThroughputTableGivesMedianRangeSpreadAndVerdictPerMode() {
        String md = ReportWriter.markdown(sample());
        assertThat(md).contains("2 measured round(s)", "exceeds 15.0%",
                "| enricher | 2 | 84,000.0 | 80,000.0 | 88,000.0 | 9.5% | 29.40 | 350 | ok |",
                "| passthrough | 2 | 100,000.0 | 100,000.0 | 100,000.0 | 0.0% | 35.00 | 350 | ok |",
                "| diy | 2 | 50,000.0 | 40,000.0 | 60,000.0 | 40.0% |",
                "**too noisy: spread 40.0% > 15.0%**");
        assertThat(md).contains("enricher     median 84,000.0 records/sec of 2 runs");
    }

    @Test
    void everyRunIsListedWithItsPlaceAndLoad() {
        String md = ReportWriter.markdown(sample());
        String runs = md.substring(md.indexOf("## Throughput runs"), md.indexOf("## Ratios"));
        assertThat(runs).contains("| warm-up | 1 | enricher | 40,000.0 | 20,000 | 16,000 | 0.40 | 0.50 | 1.00 | warm |",
                "| 1 | 1 | enricher | 80,000.0 | 200,000 | 160,000 | 2.00 | 1.00 | 1.00 |  |",
                "| 2 | 4 | enricher | 88,000.0 | 200,000 | 176,000 | 2.00 | n/a | 1.00 |  |");
        assertThat(runs.lines().filter(l -> l.startsWith("| 1 |") || l.startsWith("| 2 |"))).hasSize(8);
    }

    @Test
    void aLoadAboveTheCoresBeforeARunFlagsItsMode() {
        RunResults r = sample();
        r.runs.add(run(3, 1, "passthrough", 100_000, 2.5));
        assertThat(r.summary("passthrough")).get().extracting(ModeSummary::verdict)
                .isEqualTo("too noisy: load above 2 cores before 1 of 3 runs");
    }

    @Test
    void ratiosCompareTheEnricherMedianWithEveryOtherModesMedian() {
        RunResults r = sample();
        assertThat(r.ratios()).extracting(RaceRatios.Ratio::name)
                .containsExactly("enricher/passthrough", "enricher/diy", "enricher/rpc-1ms");
        assertThat(r.ratios().get(0).value()).isEqualTo(0.84);
        String md = ReportWriter.markdown(r);
        assertThat(md).contains("Ratios of medians. The enricher ratios use **enricher**, the in-JVM enricher:",
                "| enricher/passthrough | 0.84x | enricher vs baseline; medians of 2 and 2 runs |",
                "| enricher/diy | 1.68x | enricher vs baseline; medians of 2 and 2 runs; from a too noisy entry: do not quote |",
                "| enricher/rpc-1ms | 840.00x |");
    }

    @Test
    void theCsvHasOneRowPerFigure() throws Exception {
        ReportWriter.write(sample(), dir);
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(lines.get(0)).isEqualTo(ReportWriter.CSV_HEADER);
        assertThat(lines).hasSize(1 + 4 + 9 + 3 + 2 + 1 + 1);
        assertThat(lines.get(1)).startsWith("throughput,enricher,,,,84000.0,29.400,350.0,");
        assertThat(lines.get(1)).endsWith(",2,80000.0,88000.0,0.0952,ok,median of 2 measured runs");
        assertThat(lines).contains("warmup,enricher,20000,16000,0.400,40000.0,14.000,350.0,,,,,,,,0,1,0.50,1.00,,,,,,warm");
        assertThat(lines).contains("throughput-run,enricher,200000,176000,2.000,88000.0,30.800,350.0,,,,,,,,2,4,,1.00,,,,,,");
        assertThat(lines).anyMatch(l -> l.startsWith("ratio,enricher/diy,,,,,,,,,,,,1.6800,x,"));
        assertThat(lines).anyMatch(l -> l.startsWith("latency,e2e enricher,1,"));
        assertThat(lines).anyMatch(l -> l.startsWith("freshness,freshness,1,"));
        int columns = ReportWriter.CSV_HEADER.split(",", -1).length;
        assertThat(lines).allMatch(l -> l.split(",", -1).length == columns);
    }

    @Test
    void theChartIsAPng() throws Exception {
        Path png = dir.resolve("chart.png");
        ChartWriter.write(sample(), png);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }
}
