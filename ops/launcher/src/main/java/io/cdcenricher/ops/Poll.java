package io.cdcenricher.ops;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way the launcher and the perf harness wait for something outside the JVM (a port, a topic, a connector
 * state, a record): look, and look again every {@code interval} until it is there or {@code timeout} has passed.
 *
 * <p>The observation is always made at least once, and once more when the time is up, so a short timeout never
 * fails without having looked. An exception thrown by the observer ends the wait at once: that is how a caller
 * gives up early (the process died, the connector FAILED). An interval of zero is for observers that block by
 * themselves, such as {@code consumer.poll(...)}. An interrupt ends the wait with a {@link CancellationException}
 * and the thread's interrupt flag set again.
 */
public final class Poll {

    private Poll() {
    }

    /**
     * Observes until {@code done} accepts an observation and returns that observation.
     *
     * @param awaited what is waited for, for the timeout's message: {@code "connector x to be RUNNING"}
     * @throws PollTimeoutException after {@code timeout}, naming {@code awaited} and the last observation
     */
    public static <T> T until(String awaited, Duration timeout, Duration interval, Supplier<T> observe,
                              Predicate<? super T> done) {
        Attempt<T> attempt = attempt(awaited, timeout, interval, observe, done);
        if (!attempt.succeeded()) {
            throw new PollTimeoutException(awaited, timeout, "; last observed: " + attempt.last(), attempt.last());
        }
        return attempt.last();
    }

    /**
     * Checks until {@code condition} holds.
     *
     * @throws PollTimeoutException after {@code timeout}, naming {@code awaited}
     */
    public static void until(String awaited, Duration timeout, Duration interval, BooleanSupplier condition) {
        if (!attempt(awaited, timeout, interval, condition::getAsBoolean, Boolean::booleanValue).succeeded()) {
            throw new PollTimeoutException(awaited, timeout, "", null);
        }
    }

    /**
     * A best-effort wait: the first observation {@code done} accepts, or the last one when {@code timeout} passed
     * first. For a caller that goes on with what it has (a sample, a report that says "unknown"); it tells the two
     * apart by asking {@code done} itself.
     */
    public static <T> T upTo(String awaited, Duration timeout, Duration interval, Supplier<T> observe,
                             Predicate<? super T> done) {
        return attempt(awaited, timeout, interval, observe, done).last();
    }

    private record Attempt<T>(boolean succeeded, T last) {
    }

    private static <T> Attempt<T> attempt(String awaited, Duration timeout, Duration interval, Supplier<T> observe,
                                          Predicate<? super T> done) {
        Objects.requireNonNull(observe, "observe");
        Objects.requireNonNull(done, "done");
        if (timeout.isNegative() || interval.isNegative()) {
            throw new IllegalArgumentException("negative timeout or interval: " + timeout + ", " + interval);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T observed = observe.get();
            if (done.test(observed)) {
                return new Attempt<>(true, observed);
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return new Attempt<>(false, observed);
            }
            sleep(Math.min(interval.toNanos(), remaining), awaited);
        }
    }

    private static void sleep(long nanos, String awaited) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for " + awaited);
        }
    }
}
