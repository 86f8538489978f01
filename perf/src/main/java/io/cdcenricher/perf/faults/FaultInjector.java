package io.cdcenricher.perf.faults;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.cdcenricher.ops.ConnectorStatus;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackException;
import io.cdcenricher.ops.StackPart;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Injects one fault into the running system and brings the faulted part back, the way an operator or a supervisor
 * would: a killed process is started again at once, MariaDB is restarted, a connector task that failed is restarted
 * through the Connect REST API (and the report says so). Each injection says what it did and how long recovery took.
 */
final class FaultInjector {

    private static final Duration PART_TIMEOUT = Duration.ofSeconds(120);

    /** What one fault did. */
    record Injection(Fault fault, long atMs, long recoveryMs, String detail) {
    }

    private final Stack stack;
    private final EnricherFleet fleet;
    private final String connector;
    private final String outputTopic;
    private final Random random;
    private final Consumer<String> progress;

    FaultInjector(Stack stack, EnricherFleet fleet, String connector, String outputTopic, Random random,
                  Consumer<String> progress) {
        this.stack = stack;
        this.fleet = fleet;
        this.connector = connector;
        this.outputTopic = outputTopic;
        this.random = random;
        this.progress = progress;
    }

    Injection inject(Fault fault) {
        long at = System.currentTimeMillis();
        String detail = switch (fault) {
            case NONE -> "none";
            case ENRICHER_KILL -> killEnricher();
            case CONNECT_KILL -> killAndRestart(part("connect"));
            case BROKER_KILL -> killAndRestart(part("kafka"));
            case MARIADB_RESTART -> restartMariaDb();
            case FAILOVER -> failOver();
        };
        if (fault != Fault.NONE && fault != Fault.ENRICHER_KILL && fault != Fault.FAILOVER) {
            detail += "; " + ensureConnectorRunning();
        }
        long recovery = System.currentTimeMillis() - at;
        progress.accept("  " + fault.label() + ": " + detail + " (recovered in " + seconds(recovery) + ")");
        return new Injection(fault, at, recovery, detail);
    }

    private String killEnricher() {
        List<EnricherFleet.Instance> running = fleet.instances().stream().filter(EnricherFleet.Instance::isRunning).toList();
        EnricherFleet.Instance victim = running.get(random.nextInt(running.size()));
        long pid = fleet.kill(victim);
        long restartMs = fleet.restart(victim, PART_TIMEOUT);
        return "kill -9 " + victim.name + " (pid " + pid + "); its new process (pid " + victim.pid()
                + ") reported RUNNING " + seconds(restartMs) + " after its start";
    }

    private String killAndRestart(StackPart part) {
        long pid = part.process().kill().orElseThrow(() -> new StackException(part.name() + " was not running"));
        long start = System.currentTimeMillis();
        part.up(PART_TIMEOUT);
        return "kill -9 " + part.name() + " (pid " + pid + "); restarted (pid " + part.process().handle().orElseThrow().pid()
                + "), answering after " + seconds(System.currentTimeMillis() - start);
    }

    private String restartMariaDb() {
        StackPart mariadb = stack.mariadb();
        long oldPid = mariadb.process().handle().orElseThrow(() -> new StackException("mariadb was not running")).pid();
        long start = System.currentTimeMillis();
        mariadb.down(Duration.ofSeconds(30));
        long stopped = System.currentTimeMillis();
        mariadb.up(PART_TIMEOUT);
        return "stopped mariadb (pid " + oldPid + ", SIGTERM, " + seconds(stopped - start) + ") and started it again (pid "
                + mariadb.process().handle().orElseThrow().pid() + ", " + seconds(System.currentTimeMillis() - stopped) + ")";
    }

    private String failOver() {
        EnricherFleet.Instance victim = fleet.instances().get(fleet.instances().size() - 1);
        Map<TopicPartition, Long> before = outputEnds();
        long pid = fleet.kill(victim);
        long killedAt = System.currentTimeMillis();
        long deadline = killedAt + PART_TIMEOUT.toMillis();
        while (System.currentTimeMillis() < deadline) {
            Map<TopicPartition, Long> now = outputEnds();
            if (before.keySet().stream().allMatch(tp -> now.getOrDefault(tp, 0L) > before.get(tp))) {
                return "kill -9 " + victim.name + " (pid " + pid + "); the survivors wrote to every output partition "
                        + seconds(System.currentTimeMillis() - killedAt) + " after the kill (took over its partitions)";
            }
            EnricherFleet.pause(250);
        }
        throw new IllegalStateException("fail-over: some output partitions got nothing for " + PART_TIMEOUT.toSeconds()
                + " s after " + victim.name + " was killed");
    }

    /** Brings back the fail-over victim at the end of its phase. */
    String endFailOver() {
        EnricherFleet.Instance victim = fleet.instances().get(fleet.instances().size() - 1);
        long ms = fleet.restart(victim, PART_TIMEOUT);
        return victim.name + " restarted at the end of the phase, RUNNING after " + seconds(ms);
    }

    /**
     * Waits until the connector and its task run again. A task that FAILED (Debezium gives up on some connection
     * errors) is restarted once through the REST API, which the detail reports: nothing is hidden.
     */
    String ensureConnectorRunning() {
        long start = System.currentTimeMillis();
        long deadline = start + PART_TIMEOUT.toMillis();
        boolean restarted = false;
        String last = "unknown";
        while (System.currentTimeMillis() < deadline) {
            try {
                Optional<ConnectorStatus> status = stack.connectRest().status(connector);
                if (status.isPresent()) {
                    last = status.get().summary();
                    if (status.get().isRunning()) {
                        return "connector RUNNING " + seconds(System.currentTimeMillis() - start) + " later"
                                + (restarted ? " (its task had FAILED and was restarted by the harness)" : "");
                    }
                    if (status.get().hasFailed() && !restarted) {
                        progress.accept("  connector task FAILED, restarting it: " + firstLine(status.get().failureTraces()));
                        stack.connectRest().restartFailed(connector);
                        restarted = true;
                    }
                }
            } catch (StackException e) {
                last = e.getMessage(); // Connect is still starting
            }
            EnricherFleet.pause(250);
        }
        throw new IllegalStateException("connector " + connector + " is not RUNNING " + PART_TIMEOUT.toSeconds()
                + " s after the fault: " + last);
    }

    private Map<TopicPartition, Long> outputEnds() {
        try (Admin admin = Admin.create(stack.adminProperties())) {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            admin.describeTopics(List.of(outputTopic)).allTopicNames().get(10, TimeUnit.SECONDS).get(outputTopic)
                    .partitions().forEach(p -> request.put(new TopicPartition(outputTopic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
            return ends;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + outputTopic + ": " + e, e);
        }
    }

    private StackPart part(String name) {
        return stack.parts().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no stack part " + name));
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }
}
