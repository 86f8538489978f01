package io.cdcenricher.ops;

import java.time.Duration;

/** A {@link Poll} whose condition did not hold in time; says what was awaited and what was seen last. */
public final class PollTimeoutException extends RuntimeException {

    private final transient Object lastObservation;

    PollTimeoutException(String awaited, Duration timeout, String observed, Object lastObservation) {
        super("timed out after " + format(timeout) + " waiting for " + awaited + observed);
        this.lastObservation = lastObservation;
    }

    /** What the observer returned the last time it looked; {@code null} for a plain condition. */
    public Object lastObservation() {
        return lastObservation;
    }

    static String format(Duration duration) {
        if (duration.toMillis() < 1_000) {
            return duration.toMillis() + " ms";
        }
        long millis = duration.toMillis();
        return millis % 1_000 == 0 ? millis / 1_000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1e3);
    }
}
