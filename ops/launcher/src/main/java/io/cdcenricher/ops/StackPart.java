package io.cdcenricher.ops;

import java.time.Duration;

/** One process of the local stack: the broker, the Connect worker or the database. */
public interface StackPart {

    /** Short name used for the pid file, the log file and in {@code ops/stack status}. */
    String name();

    /** Where clients reach it. */
    String address();

    /** Starts the process (if it is not running already) and waits until it serves requests. */
    void up(Duration timeout);

    /** Whether the part answers requests right now. */
    boolean isHealthy();

    ManagedProcess process();

    /** Stops the process; SIGKILL after {@code grace}. Returns true if something was stopped. */
    default boolean down(Duration grace) {
        return process().stop(grace);
    }

    /** One line for {@code ops/stack status}; tells the truth when the process was killed behind our back. */
    default String statusLine() {
        ManagedProcess process = process();
        String state;
        if (process.isRunning()) {
            state = (isHealthy() ? "running" : "running, not answering") + " (pid " + process.handle().orElseThrow().pid() + ")";
        } else if (process.isStale()) {
            state = "DEAD (pid file left behind: it exited or was killed; see " + process.logFile() + ")";
        } else {
            state = "stopped";
        }
        return String.format("%-8s %-40s %s", name(), address(), state);
    }
}
