package io.cdcenricher.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code ops/connectors watch}: checks the connectors every {@code interval} and restarts FAILED connectors and tasks
 * ({@code POST /connectors/{name}/restart?includeTasks=true&onlyFailed=true}) with a growing wait between restarts
 * ({@link RestartBackoff}), logging each restart with the failure's cause and each change of state. It is a
 * supervisor for this stack and for a person at a terminal; a production deployment leaves retriable errors to
 * Debezium ({@code errors.max.retries}) and alerts on FAILED from its monitoring instead.
 */
final class ConnectorWatch {

    private final ConnectRestClient rest;
    private final List<String> names;
    private final Consumer<String> log;
    private final Clock clock;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, RestartBackoff> backoffs = new HashMap<>();
    private final Map<String, String> lastSeen = new HashMap<>();

    ConnectorWatch(ConnectRestClient rest, List<String> names, Duration initialBackoff, Duration maxBackoff,
                   Consumer<String> log, Clock clock) {
        this.rest = rest;
        this.names = List.copyOf(names);
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.log = log;
        this.clock = clock;
    }

    /** Checks every {@code interval} until the thread is interrupted (Ctrl-C ends the JVM). */
    void run(Duration interval) {
        log("watching " + names + " every " + interval.toSeconds() + " s; restarts FAILED tasks, waiting "
                + initialBackoff.toSeconds() + " s after the first restart, doubling up to " + maxBackoff.toSeconds()
                + " s; Ctrl-C stops");
        while (!Thread.currentThread().isInterrupted()) {
            checkOnce();
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One pass over the connectors: restarts what FAILED and is due, logs what changed. */
    void checkOnce() {
        for (String name : names) {
            Instant now = clock.instant();
            RestartBackoff backoff = backoffs.computeIfAbsent(name,
                    n -> new RestartBackoff(initialBackoff, maxBackoff, maxBackoff));
            Optional<ConnectorStatus> status;
            try {
                status = rest.status(name);
            } catch (StackException e) {
                changed(name, "unreachable", "cannot read the status: " + e.getMessage());
                continue;
            }
            if (status.isEmpty()) {
                changed(name, "absent", "not registered");
                backoff.notRunning();
                continue;
            }
            ConnectorStatus current = status.get();
            if (current.hasFailed()) {
                backoff.notRunning();
                String causes = String.join("; ", current.failureCauses());
                if (backoff.mayRestart(now)) {
                    try {
                        rest.restartFailed(name);
                    } catch (StackException e) {
                        log(name + ": " + causes + "; restart refused: " + e.getMessage());
                        continue;
                    }
                    Duration wait = backoff.restarted(now);
                    lastSeen.put(name, "restarted");
                    log(name + ": " + causes + " -> restarted the failed tasks (restart " + backoff.restarts()
                            + " in a row; the next no sooner than " + wait.toSeconds() + " s from now)");
                } else {
                    changed(name, "failed-waiting", causes + "; next restart in "
                            + backoff.remaining(now).toSeconds() + " s");
                }
            } else if (current.isRunning()) {
                backoff.running(now);
                changed(name, "running", current.summary().substring(name.length() + 2));
            } else {
                backoff.notRunning();
                changed(name, current.summary(), current.summary().substring(name.length() + 2));
            }
        }
    }

    private void changed(String name, String state, String message) {
        if (!state.equals(lastSeen.put(name, state))) {
            log(name + ": " + message);
        }
    }

    private void log(String message) {
        log.accept(clock.instant() + " " + message);
    }
}
