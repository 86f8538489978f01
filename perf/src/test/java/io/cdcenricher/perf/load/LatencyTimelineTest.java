package io.cdcenricher.perf.load;

import java.util.Arrays;
import java.util.List;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-second aggregation on hand-made samples: no broker, no clock. */
class LatencyTimelineTest {

    private static final long S = 1_000_000_000L;

    private static Histogram latencies(long... millis) {
        Histogram h = StepTally.latencyHistogram();
        for (long ms : millis) {
            h.recordValue(ms * 1000);
        }
        return h;
    }

    private static long[] repeat(long ms, int times) {
        long[] out = new long[times];
        Arrays.fill(out, ms);
        return out;
    }

    /**
     * A run with a 2 s warm-up: a cold start (second 0), a warm second, a stall in second 2 with the harness
     * collecting (second 3's events come out late), step 2, then a drain and a last short second.
     */
    private static LatencyTimeline run() {
        LatencyTimeline timeline = new LatencyTimeline(new WarmUp(2));
        timeline.start(new LatencyTimeline.Sample(5 * S, 1, 100, 0, 0, 0, 1_000));
        timeline.add(new LatencyTimeline.Sample(6 * S, 1, 100, 100, 60, 0, 1_000), latencies(repeat(4_000, 60)));
        timeline.add(new LatencyTimeline.Sample(7 * S + 2_000_000, 1, 100, 200, 180, 3, 1_010), latencies(repeat(10, 120)));
        timeline.add(new LatencyTimeline.Sample(8 * S, 1, 100, 300, 190, 250, 1_310), latencies(repeat(20, 10)));
        timeline.add(new LatencyTimeline.Sample(9 * S, 1, 100, 400, 390, 0, 1_320), latencies(repeat(900, 200)));
        timeline.add(new LatencyTimeline.Sample(10 * S, 2, 200, 600, 590, 0, 1_330), latencies(repeat(15, 200)));
        timeline.add(new LatencyTimeline.Sample(11 * S, LatencyTimeline.DRAIN, 0, 600, 595, 0, 1_330), latencies(30, 40, 50, 60, 70));
        timeline.add(new LatencyTimeline.Sample(11 * S + 300_000_000L, LatencyTimeline.DRAIN, 0, 600, 600, 0, 1_340),
                latencies(80, 80, 80, 80, 80));
        return timeline;
    }

    @Test
    void eachSecondHoldsTheIncreaseTheBacklogAndItsOwnLatencies() {
        List<LatencyTimeline.Second> seconds = run().seconds();

        assertThat(seconds).extracting(LatencyTimeline.Second::second).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(seconds).extracting(LatencyTimeline.Second::sent).containsExactly(100L, 100L, 100L, 100L, 200L, 0L, 0L);
        assertThat(seconds).extracting(LatencyTimeline.Second::out).containsExactly(60L, 120L, 10L, 200L, 200L, 5L, 5L);
        assertThat(seconds).extracting(LatencyTimeline.Second::backlog).containsExactly(40L, 20L, 110L, 10L, 10L, 5L, 0L);
        assertThat(seconds).extracting(LatencyTimeline.Second::harnessGcMs).containsExactly(0L, 10L, 300L, 10L, 10L, 0L, 10L);
        assertThat(seconds).extracting(LatencyTimeline.Second::senderLag).containsExactly(0L, 3L, 250L, 0L, 0L, 0L, 0L);
        assertThat(seconds.stream().mapToLong(LatencyTimeline.Second::sent).sum()).as("the seconds add up to the run").isEqualTo(600);
        assertThat(seconds.stream().mapToLong(LatencyTimeline.Second::out).sum()).isEqualTo(600);

        LatencyTimeline.Second stall = seconds.get(2);
        assertThat(stall.latencyCount()).isEqualTo(10);
        assertThat(stall.p99Ms()).isBetween(19.9, 20.1);
        assertThat(seconds.get(3).p50Ms()).as("the stalled events came out in second 3").isBetween(899.0, 901.0);
        assertThat(seconds.get(5).maxMs()).isBetween(69.9, 70.1);
        assertThat(seconds.get(4).offeredRate()).isEqualTo(200);
    }

    @Test
    void theWarmUpsSecondsAndTheDrainAreMarked() {
        List<LatencyTimeline.Second> seconds = run().seconds();
        assertThat(seconds).extracting(LatencyTimeline.Second::phase)
                .containsExactly("warmup", "warmup", "step", "step", "step", "drain", "drain");
        assertThat(seconds.get(0).p99Ms()).as("the timeline keeps the cold start").isBetween(3990.0, 4010.0);
        assertThat(seconds).extracting(LatencyTimeline.Second::step).containsExactly(1, 1, 1, 1, 2, 0, 0);
    }

    @Test
    void aSecondWithoutEventsHasNoLatency() {
        LatencyTimeline timeline = new LatencyTimeline(WarmUp.NONE);
        timeline.start(new LatencyTimeline.Sample(0, 1, 10, 0, 0, 0, 0));
        timeline.add(new LatencyTimeline.Sample(S, 1, 10, 10, 0, 0, 0), latencies());
        LatencyTimeline.Second second = timeline.seconds().get(0);
        assertThat(second.latencyCount()).isZero();
        assertThat(second.p99Ms()).isNaN();
        assertThat(second.warmUp()).isFalse();
        assertThat(LatencyTimeline.highestP99(timeline.seconds(), 5)).isEmpty();
        assertThat(LatencyTimeline.csv(timeline.seconds())).containsExactly(LatencyTimeline.CSV_HEADER,
                "0,1,step,10.000,10,0,10,0,0,,,,0");
    }

    @Test
    void theSlowestSecondsAfterTheWarmUpHighestFirst() {
        List<LatencyTimeline.Second> slowest = LatencyTimeline.highestP99(run().seconds(), 3);
        assertThat(slowest).as("second 0's 4 s are the warm-up's").extracting(LatencyTimeline.Second::second)
                .containsExactly(3, 6, 5);
        assertThat(LatencyTimeline.highestP99(run().seconds(), 50)).hasSize(5);
    }

    @Test
    void theHarnessGcPerStepThenTheDrain() {
        assertThat(LatencyTimeline.gcPerStep(run().seconds())).containsExactly(
                new LatencyTimeline.StepGc(1, 4, 320, 300),
                new LatencyTimeline.StepGc(2, 1, 10, 10),
                new LatencyTimeline.StepGc(LatencyTimeline.DRAIN, 2, 10, 10));
        assertThat(LatencyTimeline.gcPerStep(List.of())).isEmpty();
    }

    @Test
    void theCsvHasOneRowPerSecond() {
        List<String> csv = LatencyTimeline.csv(run().seconds());
        assertThat(csv).hasSize(8);
        assertThat(csv.get(0)).isEqualTo("second,step,phase,offered_per_s,sent,out,backlog,sender_lag,latency_count,"
                + "p50_ms,p99_ms,max_ms,harness_gc_ms");
        assertThat(csv.get(3)).as("HdrHistogram's 3 digits: 20 ms reads back as 20.0xx")
                .matches("2,1,step,100\\.000,100,10,110,250,10,20\\.0\\d\\d,20\\.0\\d\\d,20\\.0\\d\\d,300");
        assertThat(csv.get(7)).as("the drain has no step").startsWith("6,,drain,0.000,0,5,0,0,5,");
        assertThat(csv).allSatisfy(line -> assertThat(line.split(",", -1)).hasSize(13));
    }
}
