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
        r.throughput.add(new RunResults.Throughput("enricher", 200_000, 160_000, 2.0, 350, "customer hits: 2000/2000"));
        r.throughput.add(new RunResults.Throughput("passthrough", 200_000, 160_000, 1.6, 350, "padded to 350 B"));
        r.throughput.add(new RunResults.Throughput("diy", 200_000, 160_000, 4.0, 352, ""));
        r.throughput.add(new RunResults.Throughput("rpc-1ms", 1_000, 800, 8.0, 352, "subset"));
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
    void ratiosCompareTheEnricherWithEveryOtherMode() {
        RunResults r = sample();
        assertThat(r.ratios()).containsOnlyKeys("enricher/passthrough", "enricher/diy", "enricher/rpc-1ms");
        assertThat(r.ratios().get("enricher/passthrough")).isEqualTo(0.8);
        assertThat(r.ratios().get("enricher/diy")).isEqualTo(2.0);
        assertThat(ReportWriter.markdown(r)).contains("| enricher/passthrough | 0.80x |", "| enricher/rpc-1ms | 800.00x |");
    }

    @Test
    void theCsvHasOneRowPerFigure() throws Exception {
        ReportWriter.write(sample(), dir);
        List<String> lines = Files.readAllLines(dir.resolve("results.csv"));
        assertThat(lines.get(0)).isEqualTo(ReportWriter.CSV_HEADER);
        assertThat(lines).hasSize(1 + 4 + 2 + 1 + 1);
        assertThat(lines.get(1)).startsWith("throughput,enricher,200000,160000,2.000,80000.0,");
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
