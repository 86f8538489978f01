package io.cdcenricher.ops;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a readiness probe until it holds, the process dies, or the deadline passes; each ends differently. */
final class Readiness {

    private Readiness() {
    }

    static void await(ManagedProcess process, Duration timeout, String what, BooleanSupplier probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (probe.getAsBoolean()) {
                return;
            }
            if (!process.isRunning()) {
                throw new StackException(process.name() + " exited before " + what + ". Last log lines ("
                        + process.logFile() + "):\n" + process.logTail(30));
            }
            pause();
        }
        throw new StackException(process.name() + " did not become ready (" + what + ") within "
                + timeout.toSeconds() + " s. Last log lines (" + process.logFile() + "):\n" + process.logTail(30));
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for the stack");
        }
    }
}
