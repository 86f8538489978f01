package io.cdcenricher.ops;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a readiness probe until it holds, the process dies, or the deadline passes; each ends differently. */
final class Readiness {

    private static final Duration INTERVAL = Duration.ofMillis(200);

    private Readiness() {
    }

    static void await(ManagedProcess process, Duration timeout, String what, BooleanSupplier probe) {
        await(process, timeout, INTERVAL, what, probe);
    }

    static void await(ManagedProcess process, Duration timeout, Duration interval, String what,
                      BooleanSupplier probe) {
        try {
            Poll.until(process.name() + " to be ready (" + what + ")", timeout, interval,
                    () -> probe.getAsBoolean() || exited(process, what));
        } catch (PollTimeoutException e) {
            throw new StackException(process.name() + " did not become ready (" + what + ") within "
                    + timeout.toSeconds() + " s. Last log lines (" + process.logFile() + "):\n" + process.logTail(30), e);
        }
    }

    /** Never true: a dead process ends the wait with its log rather than letting it run into the timeout. */
    private static boolean exited(ManagedProcess process, String what) {
        if (!process.isRunning()) {
            throw new StackException(process.name() + " exited before " + what + ". Last log lines ("
                    + process.logFile() + "):\n" + process.logTail(30));
        }
        return false;
    }
}
