package io.cdcenricher.ops;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static io.cdcenricher.ops.CaptureVerdict.State.CAPTURING;
import static io.cdcenricher.ops.CaptureVerdict.State.FAILED;
import static io.cdcenricher.ops.CaptureVerdict.State.NOT_REGISTERED;
import static io.cdcenricher.ops.CaptureVerdict.State.PAUSED;
import static io.cdcenricher.ops.CaptureVerdict.State.STALLED;
import static io.cdcenricher.ops.CaptureVerdict.State.UNCONFIRMED;
import static org.assertj.core.api.Assertions.assertThat;

/** The verdicts of ops/connectors status on hand-made statuses, offsets and binlog positions. */
class CaptureVerdictTest {

    private static final Instant T0 = Instant.parse("2026-12-02T03:00:00Z");
    private static final Instant T1 = T0.plusSeconds(5);
    private static final String NAME = "demo-mariadb-source";
    private static final String CLASH_TRACE = """
            org.apache.kafka.connect.errors.ConnectException: An exception occurred in the change event producer. \
            This connector will be stopped.
            \tat io.debezium.pipeline.ErrorHandler.setProducerThrowable(ErrorHandler.java:67)
            Caused by: io.debezium.DebeziumException: Error while reading the binlog
            \tat io.debezium.connector.binlog.BinlogStreamingChangeEventSource.wrap(X.java:1)
            Caused by: com.github.shyiko.mysql.binlog.network.ServerException: A slave with the same \
            server_uuid/server_id as this slave has connected to the master
            \tat com.github.shyiko.mysql.binlog.BinaryLogClient.listenForEventPackets(BinaryLogClient.java:1)
            """;

    private static ConnectorStatus status(String connector, String... tasks) {
        List<ConnectorStatus.Task> list = new java.util.ArrayList<>();
        for (int i = 0; i < tasks.length; i++) {
            list.add(new ConnectorStatus.Task(i, tasks[i], tasks[i].equals("FAILED") ? CLASH_TRACE : ""));
        }
        return new ConnectorStatus(NAME, connector, "", list);
    }

    private static Optional<CommittedOffset> offset(long pos, long event) {
        return Optional.of(new CommittedOffset(new BinlogPosition("binlog.000002", pos), event, event > 0 ? 1 : 0,
                false, "{\"file\":\"binlog.000002\",\"pos\":" + pos + ",\"event\":" + event + "}"));
    }

    private static CaptureObservation read(Instant at, ConnectorStatus status, Optional<CommittedOffset> offset,
                                           long binlogEnd) {
        return new CaptureObservation(at, Optional.ofNullable(status), offset,
                Optional.of(new BinlogPosition("binlog.000002", binlogEnd)), "");
    }

    private static Optional<PendingChanges> pending(int transactions) {
        return Optional.of(new PendingChanges(transactions, false, 12));
    }

    @Test
    void runningAtBothReadsWithTheOffsetAtTheBinlogEndIsCapturing() {
        CaptureVerdict verdict = CaptureVerdict.judge(NAME,
                read(T0, status("RUNNING", "RUNNING"), offset(900, 0), 900),
                read(T1, status("RUNNING", "RUNNING"), offset(900, 0), 900), Optional.empty());

        assertThat(verdict.state()).isEqualTo(CAPTURING);
        assertThat(verdict.exitCode()).isZero();
        assertThat(verdict.lines().get(0)).startsWith(NAME + ": CAPTURING - caught up");
    }

    @Test
    void runningButCapturedChangesWaitingWhileTheOffsetStandsStillIsStalled() {
        CaptureVerdict verdict = CaptureVerdict.judge(NAME,
                read(T0, status("RUNNING", "RUNNING"), offset(400, 3), 1_500),
                read(T1, status("RUNNING", "RUNNING"), offset(400, 3), 1_800), pending(2));

        assertThat(verdict.state()).isEqualTo(STALLED);
        assertThat(verdict.exitCode()).isEqualTo(3);
        assertThat(String.join("\n", verdict.lines())).contains("2 committed transactions with changes to captured tables")
                .contains("within 5 s").contains("(unchanged)");
    }

    @Test
    void aNewSourceTimeInTheSameOffsetIsNoProgress() {
        Optional<CommittedOffset> before = Optional.of(new CommittedOffset(new BinlogPosition("binlog.000002", 400), 3,
                1, false, "{\"file\":\"binlog.000002\",\"pos\":400,\"event\":3,\"row\":1,\"ts_sec\":1}"));
        Optional<CommittedOffset> after = Optional.of(new CommittedOffset(new BinlogPosition("binlog.000002", 400), 3,
                1, false, "{\"file\":\"binlog.000002\",\"pos\":400,\"event\":3,\"row\":1,\"ts_sec\":2}"));

        CaptureVerdict verdict = CaptureVerdict.judge(NAME, read(T0, status("RUNNING", "RUNNING"), before, 1_500),
                read(T1, status("RUNNING", "RUNNING"), after, 1_500), pending(1));

        assertThat(verdict.state()).isEqualTo(STALLED);
    }

    @Test
    void behindButMovingIsCatchingUp() {
        CaptureVerdict verdict = CaptureVerdict.judge(NAME,
                read(T0, status("RUNNING", "RUNNING"), offset(400, 3), 1_500),
                read(T1, status("RUNNING", "RUNNING"), offset(700, 3), 1_500), pending(1));

        assertThat(verdict.state()).isEqualTo(CAPTURING);
        assertThat(verdict.headline()).startsWith("catching up");
    }

    @Test
    void behindOnlyOnTablesItDoesNotCaptureIsCaughtUp() {
        CaptureVerdict verdict = CaptureVerdict.judge(NAME,
                read(T0, status("RUNNING", "RUNNING"), offset(400, 3), 1_500),
                read(T1, status("RUNNING", "RUNNING"), offset(400, 3), 1_500), pending(0));

        assertThat(verdict.state()).isEqualTo(CAPTURING);
        assertThat(verdict.headline()).startsWith("caught up: no change to its tables waits");
    }

    @Test
    void aFailedTaskIsFailedWithItsRootCauseOnOneLine() {
        CaptureVerdict verdict = CaptureVerdict.judge(NAME,
                read(T0, status("RUNNING", "RUNNING"), offset(400, 3), 400),
                read(T1, status("RUNNING", "FAILED"), offset(400, 3), 400), Optional.empty());

        assertThat(verdict.state()).isEqualTo(FAILED);
        assertThat(verdict.exitCode()).isEqualTo(3);
        assertThat(verdict.details()).contains("task 0 FAILED: com.github.shyiko.mysql.binlog.network.ServerException:"
                + " A slave with the same server_uuid/server_id as this slave has connected to the master");
    }

    @Test
    void runningOnlyAtTheSecondReadAfterARestartIsUnconfirmed() {
        CaptureVerdict restarted = CaptureVerdict.judge(NAME,
                read(T0, status("RUNNING", "FAILED"), offset(400, 3), 400),
                read(T1, status("RUNNING", "RUNNING"), offset(400, 3), 400), Optional.empty());
        CaptureVerdict starting = CaptureVerdict.judge(NAME,
                read(T0, status("RUNNING", "UNASSIGNED"), offset(400, 3), 400),
                read(T1, status("RUNNING", "RUNNING"), offset(400, 3), 400), Optional.empty());

        assertThat(restarted.state()).isEqualTo(UNCONFIRMED);
        assertThat(restarted.exitCode()).isEqualTo(4);
        assertThat(restarted.headline()).contains("FAILED at the first read");
        assertThat(starting.state()).isEqualTo(UNCONFIRMED);
    }

    @Test
    void noCommittedOffsetOrASnapshotInProgressIsUnconfirmed() {
        CaptureVerdict noOffset = CaptureVerdict.judge(NAME,
                read(T0, status("RUNNING", "RUNNING"), Optional.empty(), 400),
                read(T1, status("RUNNING", "RUNNING"), Optional.empty(), 400), Optional.empty());
        Optional<CommittedOffset> snapshot = Optional.of(new CommittedOffset(new BinlogPosition("binlog.000002", 400),
                0, 0, true, "{\"snapshot\":true}"));
        CaptureVerdict snapshotting = CaptureVerdict.judge(NAME,
                read(T0, status("RUNNING", "RUNNING"), snapshot, 900),
                read(T1, status("RUNNING", "RUNNING"), snapshot, 900), Optional.empty());

        assertThat(noOffset.state()).isEqualTo(UNCONFIRMED);
        assertThat(noOffset.headline()).contains("no committed source offset");
        assertThat(snapshotting.state()).isEqualTo(UNCONFIRMED);
        assertThat(snapshotting.headline()).contains("snapshot");
    }

    @Test
    void anUnreadableDatabaseIsUnconfirmedAndSaysWhy() {
        CaptureObservation blind = new CaptureObservation(T0, Optional.of(status("RUNNING", "RUNNING")), offset(400, 3),
                Optional.empty(), "database binlog position: Access denied for user 'cdc'");
        CaptureVerdict verdict = CaptureVerdict.judge(NAME, blind,
                read(T1, status("RUNNING", "RUNNING"), offset(400, 3), 400), Optional.empty());

        assertThat(verdict.state()).isEqualTo(UNCONFIRMED);
        assertThat(verdict.details()).anyMatch(d -> d.contains("Access denied"));
    }

    @Test
    void pausedAndUnknownConnectorsAreNotCapturing() {
        CaptureVerdict paused = CaptureVerdict.judge(NAME,
                read(T0, status("PAUSED", "PAUSED"), offset(400, 3), 400),
                read(T1, status("PAUSED", "PAUSED"), offset(400, 3), 400), Optional.empty());
        CaptureObservation none = new CaptureObservation(T0, Optional.empty(), Optional.empty(), Optional.empty(), "");
        CaptureVerdict unknown = CaptureVerdict.judge(NAME, none, none, Optional.empty());

        assertThat(paused.state()).isEqualTo(PAUSED);
        assertThat(paused.exitCode()).isEqualTo(3);
        assertThat(unknown.state()).isEqualTo(NOT_REGISTERED);
        assertThat(unknown.exitCode()).isEqualTo(3);
    }
}
