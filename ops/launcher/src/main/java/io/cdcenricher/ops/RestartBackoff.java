package io.cdcenricher.ops;

import java.time.Duration;
import java.time.Instant;

/**
 * When {@code ops/connectors watch} may restart a connector's FAILED tasks again. A task that fails right after each
 * restart (a wrong password, a purged binlog, a clashing server id) must not be restarted in a tight loop: the wait
 * after each restart doubles from {@code initial} up to {@code max}, and goes back to {@code initial} once the
 * connector has run for {@code stable} without failing.
 */
final class RestartBackoff {

    private final Duration initial;
    private final Duration max;
    private final Duration stable;
    private Duration next;
    private Instant notBefore = Instant.MIN;
    private Instant runningSince;
    private int restarts;

    RestartBackoff(Duration initial, Duration max, Duration stable) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new StackException("backoff needs 0 < initial <= max, not initial " + initial + ", max " + max);
        }
        this.initial = initial;
        this.max = max;
        this.stable = stable;
        this.next = initial;
    }

    /** Whether a restart is allowed now. */
    boolean mayRestart(Instant now) {
        return !now.isBefore(notBefore);
    }

    /** Notes a restart made now; returns how long until the next one may be made. */
    Duration restarted(Instant now) {
        restarts++;
        runningSince = null;
        Duration wait = next;
        notBefore = now.plus(wait);
        next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        return wait;
    }

    /** Notes that the connector and all tasks are RUNNING now; after {@code stable} of that, the backoff resets. */
    void running(Instant now) {
        if (runningSince == null) {
            runningSince = now;
        }
        if (restarts > 0 && Duration.between(runningSince, now).compareTo(stable) >= 0) {
            restarts = 0;
            next = initial;
            notBefore = Instant.MIN;
        }
    }

    /** Notes that it is not RUNNING (failed, paused, unassigned): the stable period starts again later. */
    void notRunning() {
        runningSince = null;
    }

    /** How long from {@code now} until a restart is allowed (zero when it is). */
    Duration remaining(Instant now) {
        return mayRestart(now) ? Duration.ZERO : Duration.between(now, notBefore);
    }

    /** Restarts since the connector last ran stable. */
    int restarts() {
        return restarts;
    }
}
