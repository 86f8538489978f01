package io.cdcenricher.perf.faults;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cdcenricher.ops.ConnectorStatus;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackException;
import io.cdcenricher.ops.StackPart;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Injects one fault into the running system and brings the faulted part back, the way an operator or a supervisor
 * would: a killed process is started again at once, MariaDB is restarted, a connector task that failed is restarted
 * through the Connect REST API (and the report says so). Each injection says what it did and how long recovery took.
 */
final class FaultInjector {

    private static final Duration PART_TIMEOUT = Duration.ofSeconds(120);
    private static final Pattern SENT = Pattern.compile("\"sent\":(\\d+)");

    /**
     * What one fault did.
     *
     * @param oldPid the process the fault stopped or killed (-1 for the baseline)
     * @param newPid the process that replaced it (-1 when it returns only later, as after a fail-over)
     */
    record Injection(Fault fault, long atMs, long recoveryMs, String detail, long oldPid, long newPid) {
    }

    /** What an injection's step reports: its text and the pids it saw. */
    private record Step(String detail, long oldPid, long newPid) {
    }

    private final Stack stack;
    private final EnricherFleet fleet;
    private final String connector;
    private final String outputTopic;
    private final Random random;
    private final Consumer<String> progress;
    private final CdcProbe cdc;
    private final List<String> notes = new ArrayList<>();
    private long lastWatch;

    FaultInjector(Stack stack, EnricherFleet fleet, String connector, String outputTopic, CdcProbe cdc, Random random,
                  Consumer<String> progress) {
        this.stack = stack;
        this.cdc = cdc;
        this.fleet = fleet;
        this.connector = connector;
        this.outputTopic = outputTopic;
        this.random = random;
        this.progress = progress;
    }

    Injection inject(Fault fault) {
        long at = System.currentTimeMillis();
        Step step = switch (fault) {
            case NONE -> new Step("none", -1, -1);
            case ENRICHER_KILL -> killEnricher();
            case CONNECT_KILL -> killAndRestart(part("connect"));
            case BROKER_KILL -> killAndRestart(part("kafka"));
            case MARIADB_RESTART -> restartMariaDb();
            case MARIADB_KILL -> killAndRestart(stack.mariadb());
            case FAILOVER -> failOver();
        };
        String detail = step.detail();
        if (fault == Fault.CONNECT_KILL || fault == Fault.BROKER_KILL || fault == Fault.MARIADB_RESTART
                || fault == Fault.MARIADB_KILL) {
            detail += "; " + awaitCdcFlowing();
        }
        long recovery = System.currentTimeMillis() - at;
        progress.accept("  " + fault.label() + ": " + detail + " (recovered in " + seconds(recovery) + ")");
        return new Injection(fault, at, recovery, detail, step.oldPid(), step.newPid());
    }

    private Step killEnricher() {
        List<EnricherFleet.Instance> running = fleet.instances().stream().filter(EnricherFleet.Instance::isRunning).toList();
        EnricherFleet.Instance victim = running.get(random.nextInt(running.size()));
        long pid = fleet.kill(victim);
        long restartMs = fleet.restart(victim, PART_TIMEOUT);
        return new Step("kill -9 " + victim.name + " (pid " + pid + "); its new process (pid " + victim.pid()
                + ") reported RUNNING " + seconds(restartMs) + " after its start", pid, victim.pid());
    }

    private Step killAndRestart(StackPart part) {
        long pid = part.process().kill().orElseThrow(() -> new StackException(part.name() + " was not running"));
        long start = System.currentTimeMillis();
        part.up(PART_TIMEOUT);
        long newPid = part.process().handle().orElseThrow().pid();
        return new Step("kill -9 " + part.name() + " (pid " + pid + "); restarted (pid " + newPid + "), answering after "
                + seconds(System.currentTimeMillis() - start), pid, newPid);
    }

    private Step restartMariaDb() {
        StackPart mariadb = stack.mariadb();
        long oldPid = mariadb.process().handle().orElseThrow(() -> new StackException("mariadb was not running")).pid();
        long start = System.currentTimeMillis();
        mariadb.down(Duration.ofSeconds(30));
        long stopped = System.currentTimeMillis();
        mariadb.up(PART_TIMEOUT);
        long newPid = mariadb.process().handle().orElseThrow().pid();
        return new Step("stopped mariadb (pid " + oldPid + ", SIGTERM, " + seconds(stopped - start)
                + ") and started it again (pid " + newPid + ", " + seconds(System.currentTimeMillis() - stopped) + ")",
                oldPid, newPid);
    }

    /**
     * Kills the last instance and waits until every output partition holds a committed record of an event sent after
     * the kill: only the survivor can have written it, so its partitions were taken over (after the session timeout,
     * with the standby replicas warm).
     */
    private Step failOver() {
        EnricherFleet.Instance victim = fleet.instances().get(fleet.instances().size() - 1);
        try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(outputTopic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(outputTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
            long pid = fleet.kill(victim);
            long killedAt = System.currentTimeMillis();
            Set<Integer> takenOver = new HashSet<>();
            long deadline = killedAt + PART_TIMEOUT.toMillis();
            while (takenOver.size() < partitions.size()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("fail-over: output partitions other than " + takenOver + " got no event sent after "
                            + victim.name + " was killed within " + PART_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Matcher m = SENT.matcher(new String(record.value(), StandardCharsets.UTF_8));
                    if (m.find() && Long.parseLong(m.group(1)) > killedAt) {
                        takenOver.add(record.partition());
                    }
                }
            }
            return new Step("kill -9 " + victim.name + " (pid " + pid + "); events sent after the kill came out of every "
                    + "output partition within " + seconds(System.currentTimeMillis() - killedAt)
                    + " (the survivor took over)", pid, -1);
        }
    }

    private KafkaConsumer<byte[], byte[]> committedConsumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.settings().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Brings back the fail-over victim at the end of its phase. */
    String endFailOver() {
        EnricherFleet.Instance victim = fleet.instances().get(fleet.instances().size() - 1);
        long ms = fleet.restart(victim, PART_TIMEOUT);
        return victim.name + " restarted at the end of the phase, RUNNING after " + seconds(ms);
    }

    /**
     * Waits until CDC delivers again: a row version committed in MariaDB after this call must reach its table topic
     * (a version committed before the fault proves nothing: it may have been delivered before). A RUNNING status
     * proves nothing either (a restarted worker first reports the status it stored before the crash). A connector task
     * that FAILED meanwhile is restarted through the REST API, once per call, and the detail says so.
     */
    String awaitCdcFlowing() {
        long start = System.currentTimeMillis();
        long deadline = start + PART_TIMEOUT.toMillis();
        long before = ReferenceHistory.maxRev(stack);
        long target = before;
        while (target == before) { // the churn commits a new change every few tens of milliseconds
            failAfter(deadline, "MariaDB committed no change after rev " + before);
            EnricherFleet.pause(50);
            target = ReferenceHistory.maxRev(stack);
        }
        return "CDC delivered a change committed after the recovery (rev " + awaitDelivered(target, deadline) + ") "
                + seconds(System.currentTimeMillis() - start) + " later";
    }

    /** At the end of the run, with the churn stopped: waits until the newest committed version is delivered. */
    String awaitCdcCaughtUp() {
        long start = System.currentTimeMillis();
        long target = ReferenceHistory.maxRev(stack);
        awaitDelivered(target, start + PART_TIMEOUT.toMillis());
        return "CDC delivered the last row version (rev " + target + ") " + seconds(System.currentTimeMillis() - start)
                + " after the load stopped";
    }

    private long awaitDelivered(long target, long deadline) {
        boolean restarted = false;
        while (cdc.maxRev() < target) {
            failAfter(deadline, "CDC did not deliver rev " + target + " (newest delivered: " + cdc.maxRev()
                    + "); connector: " + connectorSummary());
            if (!restarted && restartIfFailed()) {
                restarted = true;
            }
            EnricherFleet.pause(100);
        }
        return target;
    }

    private static void failAfter(long deadline, String what) {
        if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException(what + " within " + PART_TIMEOUT.toSeconds() + " s");
        }
    }

    /** Called while phases wait: every 2 s, a FAILED connector task is restarted and noted, as a supervisor would. */
    void watch() {
        if (System.currentTimeMillis() - lastWatch < 2_000) {
            return;
        }
        lastWatch = System.currentTimeMillis();
        restartIfFailed();
    }

    /** What the watchdog did, for the report. */
    List<String> notes() {
        return notes;
    }

    private boolean restartIfFailed() {
        try {
            Optional<ConnectorStatus> status = stack.connectRest().status(connector);
            if (status.isPresent() && status.get().hasFailed()) {
                String why = firstLine(status.get().failureTraces());
                progress.accept("  connector task FAILED, restarting it through the REST API: " + why);
                notes.add("connector task FAILED (" + why + "); restarted through POST /connectors/" + connector
                        + "/restart?includeTasks=true&onlyFailed=true");
                stack.connectRest().restartFailed(connector);
                return true;
            }
        } catch (StackException e) {
            // Connect is down or starting: the fault in progress is what is being waited for
        }
        return false;
    }

    private String connectorSummary() {
        try {
            return stack.connectRest().status(connector).map(ConnectorStatus::summary).orElse("unknown to Connect");
        } catch (StackException e) {
            return e.getMessage();
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
