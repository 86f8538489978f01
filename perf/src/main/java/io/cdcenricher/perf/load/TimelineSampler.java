package io.cdcenricher.perf.load;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.HdrHistogram.Histogram;

/**
 * Feeds a {@link LatencyTimeline} one sample a second, on its own thread, from the first step's start until it is
 * closed after the drain, then one last (shorter) sample, so the timeline's seconds add up to the run's totals.
 * The ticks keep to a grid from the first step's start; when the sampler itself is held up for more than a
 * second (a harness pause), it skips the ticks it missed instead of taking them back to back: that second then
 * covers the whole pause, and its neighbours stay whole seconds.
 */
public final class TimelineSampler implements AutoCloseable {

    private static final long TICK_NANOS = Duration.ofSeconds(1).toNanos();

    private final LatencyTimeline timeline;
    private final LongSupplier sent;
    private final LongSupplier out;
    private final LongSupplier senderLagPeak;
    private final Consumer<Histogram> takeLatencies;
    private final LongSupplier harnessGcMs;
    private final Histogram latencies = StepTally.latencyHistogram(); // reused: one second's at a time
    private volatile int step;
    private volatile double rate;
    private volatile boolean closing;
    private long originNanos;
    private Thread thread;

    /**
     * @param sent          the run's events sent so far
     * @param out           the run's events received once so far
     * @param senderLagPeak the sender's lag peak since the last call ({@link OpenLoopSender#takeLagPeak})
     * @param takeLatencies moves the latencies received since the last call into the histogram given
     *                      ({@link OutputMatcher#takeReceivedLatencies})
     * @param harnessGcMs   this JVM's collection time so far ({@link HarnessGc#millis})
     */
    public TimelineSampler(LatencyTimeline timeline, LongSupplier sent, LongSupplier out, LongSupplier senderLagPeak,
                           Consumer<Histogram> takeLatencies, LongSupplier harnessGcMs) {
        this.timeline = timeline;
        this.sent = sent;
        this.out = out;
        this.senderLagPeak = senderLagPeak;
        this.takeLatencies = takeLatencies;
        this.harnessGcMs = harnessGcMs;
    }

    /** Step {@code step} at {@code rate} starts at {@code startNanos}; the first step's start is the timeline's zero. */
    public synchronized void step(int step, double rate, long startNanos) {
        this.step = step;
        this.rate = rate;
        if (thread == null && !closing) {
            originNanos = startNanos;
            timeline.start(new LatencyTimeline.Sample(startNanos, step, rate, sent.getAsLong(), out.getAsLong(), 0,
                    harnessGcMs.getAsLong()));
            takeLatencies.accept(latencies); // nothing of the run came out before its start; clears the recorder
            thread = new Thread(this::loop, "load-timeline");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** The steps are over; the seconds from now on are the drain's. */
    public void drain() {
        this.step = LatencyTimeline.DRAIN;
        this.rate = 0;
    }

    private void loop() {
        long nextTick = originNanos + TICK_NANOS;
        while (!closing) {
            long wait = nextTick - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait); // close() unparks
                continue;
            }
            take();
            long elapsed = System.nanoTime() - originNanos;
            nextTick = originNanos + (elapsed / TICK_NANOS + 1) * TICK_NANOS;
        }
    }

    private synchronized void take() {
        takeLatencies.accept(latencies);
        timeline.add(new LatencyTimeline.Sample(System.nanoTime(), step, rate, sent.getAsLong(), out.getAsLong(),
                senderLagPeak.getAsLong(), harnessGcMs.getAsLong()), latencies);
    }

    /** Stops the ticks and takes the last sample; does nothing more when no step ever started. */
    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closing = true;
            running = thread;
        }
        if (running == null) {
            return;
        }
        LockSupport.unpark(running);
        try {
            running.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        take();
    }
}
