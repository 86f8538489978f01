package io.cdcenricher.perf;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FormatTest {

    @Test
    void millisecondsGetFewerDecimalsAsTheyGrow() {
        assertThat(Format.ms(0.5)).isEqualTo("0.50 ms");
        assertThat(Format.ms(12.345)).isEqualTo("12.3 ms");
        assertThat(Format.ms(1234.5)).isEqualTo("1235 ms");
    }

    @Test
    void percentilesComeFromAMicrosecondHistogramInMilliseconds() {
        Histogram micros = new Histogram(3_600_000_000L, 3);
        for (int i = 1; i <= 1_000; i++) {
            micros.recordValue(i * 1_000L); // 1 ms .. 1000 ms
        }
        RunResults.Latency latency = RunResults.Latency.fromMicros("e2e", micros, 100, "");
        assertThat(latency.count()).isEqualTo(1_000);
        assertThat(latency.p50()).isBetween(499.0, 501.0);
        assertThat(latency.p99()).isBetween(989.0, 991.0);
        assertThat(latency.p999()).isBetween(998.0, 1000.5);
        assertThat(latency.max()).isBetween(999.0, 1000.5);
    }

    @Test
    void anEmptyHistogramGivesZeroesNotAnError() {
        RunResults.Latency latency = RunResults.Latency.fromMicros("freshness", new Histogram(3), 0, "none");
        assertThat(latency.count()).isZero();
        assertThat(Format.summaryLine(latency)).contains("freshness", "0 records", "p50 0.00 ms");
    }

    @Test
    void aThroughputSummaryLineReadsLikeProducerPerformance() {
        RunResults.Throughput t = new RunResults.Throughput("enricher", 200_000, 160_000, 2.0, 350, "");
        assertThat(Format.summaryLine(t))
                .startsWith("enricher")
                .contains("200,000 records", "80,000.0 records/sec", "28.00 MB/sec", "350 B/record");
    }

    @Test
    void aRaceSummaryLineGivesTheMedianTheRangeAndTheVerdict() {
        ModeSummary s = ModeSummary.of("diy#2", java.util.List.of(40_000.0, 50_000.0, 44_000.0),
                java.util.List.of(0.5, 0.5, 0.5), 2);
        assertThat(Format.summaryLine(s, 350)).startsWith("diy#2").contains("median 44,000.0 records/sec of 3 runs",
                "15.40 MB/sec", "min 40,000.0, max 50,000.0, spread 22.7%", "too noisy: spread 22.7% > 15.0%");
        assertThat(Format.load(Double.NaN)).isEqualTo("n/a");
        assertThat(Format.load(2.346)).isEqualTo("2.35");
    }

    @Test
    void procStatusParsesKilobyteFields() {
        String status = "Name:\tjava\nVmPeak:\t 4000000 kB\nVmHWM:\t  423456 kB\nVmRSS:\t  400000 kB\n";
        assertThat(ProcStatus.parse(status, "VmHWM")).hasValue(423_456);
        assertThat(ProcStatus.parse(status, "VmSwap")).isEmpty();
    }
}
