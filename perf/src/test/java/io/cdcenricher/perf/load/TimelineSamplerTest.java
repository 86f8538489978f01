package io.cdcenricher.perf.load;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The sampler's thread on fake counters: a second a tick, then the drain's last sample at close. */
class TimelineSamplerTest {

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong out = new AtomicLong();
    private final AtomicLong gc = new AtomicLong(500);
    private final Recorder received = new Recorder(3_600_000_000L, 3);
    private final LatencyTimeline timeline = new LatencyTimeline(WarmUp.NONE);
    private final TimelineSampler sampler = new TimelineSampler(timeline, sent::get, out::get, () -> 7,
            received::getIntervalHistogramInto, gc::get);

    @Test
    void samplesEverySecondFromTheFirstStepAndOnceMoreAtClose() {
        received.recordValue(123); // before the run: not a latency of it
        sampler.step(1, 50, System.nanoTime());
        sent.set(40);
        out.set(30);
        received.recordValue(20_000);
        gc.addAndGet(12);
        await().atMost(Duration.ofSeconds(5)).until(() -> timeline.seconds().size() >= 1);
        sampler.drain();
        out.set(40);
        received.recordValue(50_000);
        sampler.close();

        List<LatencyTimeline.Second> seconds = timeline.seconds();
        LatencyTimeline.Second first = seconds.get(0);
        assertThat(first.second()).isZero();
        assertThat(first.step()).isEqualTo(1);
        assertThat(first.sent()).isEqualTo(40);
        assertThat(first.out()).isEqualTo(30);
        assertThat(first.latencyCount()).as("the 123 µs before the start are not the run's").isEqualTo(1);
        assertThat(first.harnessGcMs()).isEqualTo(12);
        assertThat(first.senderLag()).isEqualTo(7);
        LatencyTimeline.Second last = seconds.get(seconds.size() - 1);
        assertThat(last.drain()).isTrue();
        assertThat(seconds.stream().mapToLong(LatencyTimeline.Second::out).sum()).isEqualTo(40);
        assertThat(seconds.stream().mapToLong(LatencyTimeline.Second::latencyCount).sum()).isEqualTo(2);
        assertThat(last.backlog()).isZero();
    }

    @Test
    void closedBeforeAnyStepItSamplesNothing() {
        sampler.close();
        assertThat(timeline.seconds()).isEmpty();
    }

    @Test
    void theHarnessGcLeavesOutConcurrentCycles() {
        assertThat(HarnessGc.pauses("G1 Young Generation")).isTrue();
        assertThat(HarnessGc.pauses("G1 Old Generation")).isTrue();
        assertThat(HarnessGc.pauses("G1 Concurrent GC")).isFalse();
        assertThat(HarnessGc.pauses("ZGC Cycles")).isFalse();
        assertThat(HarnessGc.pauses("ZGC Pauses")).isTrue();
        assertThat(HarnessGc.millis()).isNotNegative();
    }
}
