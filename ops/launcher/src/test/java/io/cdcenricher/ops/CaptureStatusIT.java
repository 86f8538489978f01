package io.cdcenricher.ops;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenricher.ops.testing.CapturedDatabase;
import io.cdcenricher.ops.testing.LocalStackExtension;
import io.cdcenricher.ops.testing.TopicReader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ops/connectors status} and {@code watch} on the real stack. Each connector here reads MariaDB as a user of
 * its own ({@link CapturedDatabase}), so that taking that user's replication grant away or killing its binlog
 * connection touches no other test's connector.
 */
@Tag("integration")
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@ExtendWith(LocalStackExtension.class)
class CaptureStatusIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Duration WINDOW = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @Test
    void statusCallsARunningTaskThatCapturesNothingStalledWithinABoundAndCapturingAgainAfterRecovery(Stack stack)
            throws Exception {
        // Debezium retries what internal.custom.retriable.exception matches; here also the missing grant, as it would any
        // lasting retriable error: the task restarts every 10 s and Connect keeps saying RUNNING.
        CapturedDatabase capture = CapturedDatabase.create(stack, dir, "status_it", "statusit", Map.of("internal.custom.retriable.exception",
                "(?s).*Access denied.*"));
        CaptureCheck check = capture.check();
        AtomicInteger nextId = new AtomicInteger(2);
        try {
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);
            CapturedDatabase.StatusRun healthy = capture.runStatus();
            assertThat(healthy.exitCode()).as(healthy.output()).isZero();
            assertThat(healthy.output()).contains(capture.connector() + ": CAPTURING")
                    .contains("topic " + capture.topic() + ": last record");
            // A boolean, not doesNotContain: a failing assertion must not print the password either.
            assertThat(healthy.output().contains(capture.password())).as("status prints no password").isFalse();

            // The connector's user loses REPLICATION SLAVE and its binlog connection is cut: the reconnect is denied,
            // Debezium retries (or its binlog client hangs), Connect keeps saying RUNNING, nothing is captured.
            capture.blockReplication();
            CaptureCheck.Result stalled = awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.STALLED);
            assertThat(String.join("\n", stalled.lines())).contains("task 0 RUNNING")
                    .contains("committed transaction").contains("(unchanged)");
            CapturedDatabase.StatusRun stalledRun = capture.runStatus();
            assertThat(stalledRun.exitCode()).as(stalledRun.output()).isEqualTo(3);
            assertThat(stalledRun.output()).contains(capture.connector() + ": STALLED");

            // Recovery as an operator does it: the grant back, and a restart of the task (the binlog client's own
            // reconnect may be stuck: in one run here it hung for minutes after the denied reconnect).
            capture.allowReplication();
            stack.connectRest().restart(capture.connector());
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);
            try (TopicReader reader = new TopicReader(stack.settings().bootstrapServers(), capture.topic())) {
                int last = nextId.get() - 1;
                reader.readUntil(WAIT, seen -> seen.stream().anyMatch(r -> new String(r.key()).equals(Integer.toString(last))));
            }
            CapturedDatabase.StatusRun recovered = capture.runStatus();
            assertThat(recovered.exitCode()).as(recovered.output()).isZero();
        } finally {
            stack.connectRest().delete(capture.connector());
        }
    }

    @Test
    void aServerIdClashFailsATaskStatusShowsTheCauseAndWatchRestartsItPausedIsNotCapturing(Stack stack)
            throws Exception {
        CapturedDatabase capture = CapturedDatabase.create(stack, dir, "failed_it", "failedit", Map.of());
        CaptureCheck check = capture.check();
        AtomicInteger nextId = new AtomicInteger(2);
        ConnectRestClient rest = stack.connectRest();
        String intruder = "intruder-source";
        try {
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);

            // apply refuses a second connector with the same server id; registered behind its back (another tool,
            // an old file with a fixed id), the newcomer throws the first one out, which ends FAILED.
            Map<String, String> config = new java.util.HashMap<>(rest.config(capture.connector()).orElseThrow());
            config.put("name", intruder);
            config.put("topic.prefix", "intruder");
            config.put("schema.history.internal.kafka.topic", "intruder.schema-history");
            Path intruderFile = dir.resolve("intruder.json");
            JSON.writeValue(intruderFile.toFile(), Map.of("name", intruder, "config", config));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> stack.connectors(Map.of()).apply(intruderFile, WAIT))
                    .hasMessageContaining(intruder).hasMessageContaining(capture.connector());
            rest.putConfig(intruder, config);

            CaptureCheck.Result failed = awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.FAILED);
            assertThat(failed.verdict().details()).anyMatch(line -> line.startsWith("task 0 FAILED: ")
                    && line.contains("same server_uuid/server_id"));
            CapturedDatabase.StatusRun failedRun = capture.runStatus();
            assertThat(failedRun.exitCode()).as(failedRun.output()).isEqualTo(3);
            assertThat(failedRun.output()).contains("task 0 FAILED: ").contains("server_id");

            // watch restarts it (which throws the intruder out in turn); once the intruder is gone it stays up.
            List<String> log = new ArrayList<>();
            ConnectorWatch watch = new ConnectorWatch(rest, List.of(capture.connector()), Duration.ofSeconds(2),
                    Duration.ofSeconds(8), log::add, Clock.systemUTC());
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                watch.checkOnce();
                return log.stream().anyMatch(line -> line.contains("restarted the failed tasks"));
            });
            rest.delete(intruder);
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
                watch.checkOnce();
                return rest.status(capture.connector()).map(ConnectorStatus::isRunning).orElse(false);
            });
            log.forEach(System.out::println);
            assertThat(log).anyMatch(line -> line.contains(capture.connector() + ": task 0 FAILED: ")
                    && line.contains("server_id") && line.contains("restarted the failed tasks (restart 1 in a row"));
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);

            rest.pause(capture.connector());
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.PAUSED);
            rest.resume(capture.connector());
            awaitVerdict(stack, capture, check, nextId, CaptureVerdict.State.CAPTURING);
        } finally {
            rest.delete(intruder);
            rest.delete(capture.connector());
        }
    }

    /**
     * Polls status until it gives {@code expected}, inserting a row before each check so that the database always has
     * new changes (a stall shows only while changes wait). Fails with the last verdict after {@link #WAIT}.
     */
    private CaptureCheck.Result awaitVerdict(Stack stack, CapturedDatabase capture, CaptureCheck check, AtomicInteger nextId,
                                             CaptureVerdict.State expected) {
        AtomicReference<CaptureCheck.Result> last = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            capture.insertCustomer(nextId.getAndIncrement());
            CaptureCheck.Result result = check.check(capture.connector(), WINDOW);
            last.set(result);
            System.out.println(String.join("\n", result.lines()));
            assertThat(result.verdict().state()).as(String.join("\n", result.lines())).isEqualTo(expected);
        });
        return last.get();
    }
}
