package io.cdcenricher.perf;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code perf/run --threads}: the table, the CSV and the flattening sentence, on hand-made figures. */
class ThreadsCurveTest {

    private static final ThreadsReport.Setup ONE = new ThreadsReport.Setup(1, 1);
    private static final ThreadsReport.Setup TWO = new ThreadsReport.Setup(2, 1);
    private static final ThreadsReport.Setup FOUR = new ThreadsReport.Setup(4, 1);
    private static final ThreadsReport.Setup PAIR = new ThreadsReport.Setup(1, 2);

    /** A run of 200,000 records whose drain took {@code 200_000 / rate} s. */
    private static ThreadsReport.Run run(ThreadsReport.Setup setup, int round, double rate, double cpuSeconds,
                                         double machineBusy, double rssMb, double loadBefore) {
        return new ThreadsReport.Run(setup, round, 200_000, rate, 20.0 + round, cpuSeconds, 200_000 / rate,
                machineBusy, rssMb, loadBefore, loadBefore + 0.1, "n");
    }

    /** 1 thread 10k/s, 2 threads 16k/s (1.6x), 4 threads 17k/s (1.06x: flat, cores full), two instances 15k/s. */
    private static List<ThreadsReport.Run> curve() {
        return List.of(
                run(ONE, 1, 10_000, 16, 1.5, 400, 1.0), run(TWO, 1, 16_000, 20, 1.9, 420, 1.2),
                run(FOUR, 1, 17_000, 22, 1.95, 450, 1.3), run(PAIR, 1, 15_000, 21, 1.9, 380, 1.4),
                run(TWO, 2, 16_000, 20, 1.9, 430, 1.5), run(FOUR, 2, 17_000, 22, 1.95, 460, 1.6),
                run(PAIR, 2, 15_000, 21, 1.9, 390, 1.7), run(ONE, 2, 10_000, 16, 1.5, 410, 1.8));
    }

    private static RunResults base() {
        RunResults base = new RunResults();
        base.commandLine = "perf/run --threads 1,2,4";
        base.cores = 2;
        base.machine.put("cores (available to the JVM)", "2");
        base.settings.put("profile", "threads and instances curve");
        base.notes.add("a note");
        return base;
    }

    @Test
    void summariesTakeMediansAndSpeedUpsOverOneThread() {
        List<ThreadsReport.Summary> summaries = ThreadsReport.summaries(curve(), 2);

        assertThat(summaries).extracting(ThreadsReport.Summary::setup).containsExactly(ONE, TWO, FOUR, PAIR);
        ThreadsReport.Summary two = summaries.get(1);
        assertThat(two.rate().median()).isEqualTo(16_000);
        assertThat(two.rate().runs()).isEqualTo(2);
        assertThat(two.speedUp()).isCloseTo(1.6, within(1e-9));
        assertThat(two.cpuSecondsPerMillion()).isCloseTo(100, within(1e-9));
        assertThat(two.coresBusy()).as("20 CPU s over a 12.5 s drain").isCloseTo(1.6, within(1e-9));
        assertThat(two.peakRssMb()).as("the highest").isEqualTo(430);
    }

    @Test
    void theReportHasTheTableTheCoresAndWhereTheCurveFlattens() {
        String md = ThreadsReport.markdown(base(), curve());

        int at = 0;
        for (String section : ThreadsReport.SECTIONS) {
            assertThat(md.indexOf(section, at)).as(section).isGreaterThanOrEqualTo(at);
            at = md.indexOf(section, at);
        }
        assertThat(md).contains("**2 cores**", "| threads x instances | runs | median records/s | spread | speed-up vs 1 thread |",
                "| 1 thread | 2 | 10,000.0 | 0.0% | 1.00x | 80.0 | 0.80 / 1.50 | 21.5 s | 410 MB | ok |",
                "| 4 threads | 2 | 17,000.0 | 0.0% | 1.70x | 110.0 | 1.87 / 1.95 | 21.5 s | 460 MB | ok |",
                "| 2 instances x 1 thread | 2 | 15,000.0 | 0.0% | 1.50x |", "390 MB each (largest)",
                "The curve flattens at **4 threads**: from 2 threads the median went from 16,000.0 to 17,000.0 "
                        + "records/s, 1.06x (a step below 1.20x counts as flat).",
                "the machine kept 1.95 of its 2 cores busy", "the cores were full",
                "CPU per 1M records: 80.0 s at 1 thread, 110.0 s at 4 threads",
                "2 instances x 1 thread: 1.50x of 1 thread (2 threads in one process: 1.60x).",
                "| 2 | 4 threads | 17,000.0 | 200,000 |", "- a note");
    }

    @Test
    void theSentenceSaysWhenTheCurveDidNotFlattenOrCoresWereIdle() {
        List<ThreadsReport.Run> steep = List.of(run(ONE, 1, 10_000, 16, 0.9, 400, 0.5),
                run(TWO, 1, 19_000, 30, 1.2, 400, 0.5));
        assertThat(ThreadsReport.flattening(ThreadsReport.summaries(steep, 2), 2))
                .isEqualTo("The curve did not flatten up to 2 threads: every step gained at least 1.20x (1.90x over "
                        + "1 thread in all). 2 of 2 setups are too noisy to trust (see the verdicts): so is this reading.");

        List<ThreadsReport.Run> idle = List.of(run(ONE, 1, 10_000, 16, 0.9, 400, 0.5),
                run(TWO, 1, 10_500, 17, 1.0, 400, 0.5));
        assertThat(ThreadsReport.flattening(ThreadsReport.summaries(idle, 2), 2))
                .startsWith("The curve flattens at **2 threads**")
                .contains("cores were left idle, so CPU alone does not explain the flat step");

        assertThat(ThreadsReport.flattening(ThreadsReport.summaries(List.of(run(ONE, 1, 10_000, 16, 1, 400, 0.5)), 2), 2))
                .startsWith("One thread count ran: no curve to judge.");
    }

    @Test
    void noisySetupsAreFlaggedLikeTheRace() {
        List<ThreadsReport.Run> noisy = List.of(run(ONE, 1, 10_000, 16, 1, 400, 3.5), run(ONE, 2, 14_000, 16, 1, 400, 0.5));
        ThreadsReport.Summary one = ThreadsReport.summaries(noisy, 2).get(0);

        assertThat(one.rate().median()).isEqualTo(12_000);
        assertThat(one.rate().verdict()).contains("spread 33.3% > 15.0%", "load above 2 cores before 1 of 2 runs");
        assertThat(ThreadsReport.markdown(base(), noisy)).contains("**too noisy: spread 33.3%",
                "1 of 1 setups are too noisy to trust (see the verdicts): so is this reading.");
        assertThat(ThreadsReport.markdown(base(), curve())).doesNotContain("too noisy");
    }

    @Test
    void theCsvHasARowPerRunAndPerSetup() {
        List<ThreadsReport.Run> runs = List.of(run(ONE, 1, 10_000, 16, 1.5, 400, 1.0),
                run(PAIR, 1, 15_000, Double.NaN, Double.NaN, 380, Double.NaN));
        List<String> csv = ThreadsReport.csv(runs, 2).lines().toList();

        assertThat(csv).hasSize(5);
        assertThat(csv.get(0)).isEqualTo(ThreadsReport.CSV_HEADER);
        assertThat(csv.get(1)).isEqualTo("threads-point,1,1,1,200000,10000.0,21.000,16.00,80.00,0.800,1.500,400.0,"
                + "1.00,1.10,,,,,,,n");
        assertThat(csv.get(2)).as("unknown CPU and load stay empty")
                .isEqualTo("threads-point,1,2,1,200000,15000.0,21.000,,,,,380.0,,,,,,,,,n");
        assertThat(csv.get(3)).isEqualTo("threads,1,1,,,10000.0,21.000,,80.00,0.800,1.500,400.0,,,1,10000.0,10000.0,"
                + "0.0000,1.000,too noisy: one run: no spread to judge,median of 1 runs");
        assertThat(csv.get(4)).startsWith("threads,1,2,,,15000.0,21.000,,,,,380.0,,,1,15000.0,15000.0,0.0000,1.500,");
        csv.forEach(line -> assertThat(line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1))
                .as(line).hasSize(ThreadsReport.CSV_HEADER.split(",").length));
    }

    @Test
    void machineCpuCountsBusyCoresBetweenTwoReadings() {
        MachineCpu before = MachineCpu.parse("cpu  100 0 50 800 50 0 0 0 0 0\ncpu0 1 2 3 4 5 6 7\n");
        MachineCpu after = MachineCpu.parse("cpu  250 0 100 850 50 0 0 0 0 0\n");

        assertThat(before.busyTicks()).isEqualTo(150);
        assertThat(before.allTicks()).isEqualTo(1000);
        assertThat(after.busyCoresSince(before, 2)).as("200 of 250 ticks busy on 2 cores").isCloseTo(1.6, within(1e-9));
    }
}
