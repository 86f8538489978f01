package io.cdcenricher.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ops/connectors status} concludes from two reads some seconds apart, and its exit code. A worker that
 * was just restarted reports the status it stored before (RUNNING), and a Debezium task that keeps retrying a lost
 * connection stays RUNNING too: so RUNNING alone is never the verdict. CAPTURING needs the connector and its tasks
 * RUNNING at both reads, a committed offset outside the initial snapshot, and data: no captured change that the
 * binlog held at the first read is still undelivered at the second, unless the committed offset moved meanwhile.
 *
 * @param headline one line after the state
 * @param details  further lines: states of both reads, one line per FAILED part, positions
 */
public record CaptureVerdict(String connector, State state, String headline, List<String> details) {

    /** The verdicts and the exit code each gives. */
    public enum State {
        /** Running and delivering (or caught up): exit 0. */
        CAPTURING(0),
        /** A connector or task FAILED: exit 3. */
        FAILED(3),
        /** Captured changes wait in the binlog and the committed offset did not move: exit 3. */
        STALLED(3),
        /** Paused or stopped on purpose: nothing is captured, exit 3. */
        PAUSED(3),
        /** Connect does not know the connector: exit 3. */
        NOT_REGISTERED(3),
        /** Not (yet) provable either way: just restarted, snapshot running, database unreadable: exit 4. */
        UNCONFIRMED(4);

        private final int exitCode;

        State(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    public int exitCode() {
        return state.exitCode();
    }

    /** {@code name: STATE - headline}, then the details indented. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(connector + ": " + state + " - " + headline);
        details.forEach(d -> lines.add("  " + d));
        return lines;
    }

    /**
     * The verdict from two observations and the captured changes found in the binlog between the second read's
     * committed offset and the first read's binlog position ({@code pending}, empty when it could not be read).
     */
    public static CaptureVerdict judge(String name, CaptureObservation first, CaptureObservation second,
                                       Optional<PendingChanges> pending) {
        long seconds = Math.max(0, Duration.between(first.at(), second.at()).toSeconds());
        List<String> details = new ArrayList<>();
        if (second.status().isEmpty()) {
            return new CaptureVerdict(name, State.NOT_REGISTERED, "Connect does not know this connector", details);
        }
        ConnectorStatus now = second.status().get();
        details.add("first read: " + first.status().map(CaptureVerdict::states).orElse("not registered"));
        details.add("second read, " + seconds + " s later: " + states(now));
        if (now.hasFailed()) {
            details.addAll(now.failureCauses());
            return new CaptureVerdict(name, State.FAILED, "nothing is captured until the failed part is restarted"
                    + " (ops/connectors watch does that)", details);
        }
        if (now.isPausedOrStopped()) {
            return new CaptureVerdict(name, State.PAUSED, "the connector is " + now.connectorState()
                    + ": nothing is captured until it is resumed", details);
        }
        boolean runningBoth = first.status().map(ConnectorStatus::isRunning).orElse(false) && now.isRunning();
        if (!runningBoth) {
            String why = first.status().map(ConnectorStatus::hasFailed).orElse(false)
                    ? "it was FAILED at the first read and has been restarted since; not yet proven to run"
                    : "the connector and every task must be RUNNING at both reads " + seconds + " s apart";
            return new CaptureVerdict(name, State.UNCONFIRMED, why, details);
        }
        if (second.offset().isEmpty()) {
            addProblems(details, second);
            return new CaptureVerdict(name, State.UNCONFIRMED, "no committed source offset: the task has not delivered"
                    + " a record yet (a fresh connector's snapshot still starting, or it cannot reach the database)",
                    details);
        }
        CommittedOffset committed = second.offset().get();
        if (committed.snapshotting()) {
            details.add("committed offset " + committed + " (inside the initial snapshot)");
            return new CaptureVerdict(name, State.UNCONFIRMED, "the initial snapshot is still running", details);
        }
        if (first.binlogEnd().isEmpty()) {
            details.add("committed offset " + committed);
            addProblems(details, first);
            return new CaptureVerdict(name, State.UNCONFIRMED, "the database's binlog position could not be read, so"
                    + " progress is not proven", details);
        }
        BinlogPosition end = first.binlogEnd().get();
        // Position and skip counts only: Debezium's offset also carries the source time (ts_sec), which changes with
        // a heartbeat or a re-delivered event without the connector getting anywhere.
        boolean moved = first.offset().map(o -> !o.samePlace(committed)).orElse(true);
        details.add("binlog at the first read: " + end + "; committed offset: "
                + first.offset().map(CommittedOffset::toString).orElse("none") + " -> " + committed
                + (moved ? " (moved)" : " (unchanged)"));
        if (!committed.position().isBefore(end)) {
            return new CaptureVerdict(name, State.CAPTURING, "caught up: the committed offset is at or past the binlog"
                    + " position of the first read", details);
        }
        if (pending.isEmpty()) {
            addProblems(details, second);
            return new CaptureVerdict(name, State.UNCONFIRMED, "the binlog after the committed offset could not be read",
                    details);
        }
        PendingChanges waiting = pending.get();
        details.add("after the committed offset, up to the first read's position: " + waiting.describe());
        if (waiting.transactions() > 0) {
            return moved
                    ? new CaptureVerdict(name, State.CAPTURING, "catching up: the committed offset moved during the "
                            + seconds + " s between the reads", details)
                    : new CaptureVerdict(name, State.STALLED, "changes to captured tables that the binlog held at the"
                            + " first read were not delivered within " + seconds + " s and the committed offset did"
                            + " not move", details);
        }
        if (waiting.truncated() && !moved) {
            return new CaptureVerdict(name, State.UNCONFIRMED, "the binlog after the committed offset is longer than"
                    + " one status reads, and the offset did not move", details);
        }
        return new CaptureVerdict(name, State.CAPTURING, "caught up: no change to its tables waits after the committed"
                + " offset (what follows is the rest of the last delivered transaction or other tables' changes)",
                details);
    }

    private static String states(ConnectorStatus status) {
        StringBuilder out = new StringBuilder("connector " + status.connectorState());
        status.tasks().forEach(t -> out.append(", task ").append(t.id()).append(' ').append(t.state()));
        if (status.tasks().isEmpty()) {
            out.append(", no tasks");
        }
        return out.toString();
    }

    private static void addProblems(List<String> details, CaptureObservation observation) {
        if (!observation.problems().isBlank()) {
            details.add(observation.problems());
        }
    }
}
