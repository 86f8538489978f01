package io.cdcenricher.perf.faults;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
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

    /** What one fault did. */
    record Injection(Fault fault, long atMs, long recoveryMs, String detail) {
    }

    private final Stack stack;
    private final EnricherFleet fleet;
    private final String connector;
    private final String outputTopic;
    private final Random random;
    private final Consumer<String> progress;
    private final CdcProbe cdc;
    private final List<String> notes = new java.util.ArrayList<>();
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
        String detail = switch (fault) {
            case NONE -> "none";
            case ENRICHER_KILL -> killEnricher();
            case CONNECT_KILL -> killAndRestart(part("connect"));
            case BROKER_KILL -> killAndRestart(part("kafka"));
            case MARIADB_RESTART -> restartMariaDb();
            case FAILOVER -> failOver();
        };
        if (fault != Fault.NONE && fault != Fault.ENRICHER_KILL && fault != Fault.FAILOVER) {
            detail += "; " + awaitCdcFlowing();
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

    /**
     * Kills the last instance and waits until every output partition holds a committed record of an event sent after
     * the kill: only the survivor can have written it, so its partitions were taken over (after the session timeout,
     * with the standby replicas warm).
     */
    private String failOver() {
        EnricherFleet.Instance victim = fleet.instances().get(fleet.instances().size() - 1);
        try (KafkaConsumer<byte[], byte[]> consumer = committedConsumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(outputTopic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(outputTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(tp -> consumer.position(tp, Duration.ofSeconds(30)));
            long pid = fleet.kill(victim);
            long killedAt = System.currentTimeMillis();
            java.util.Set<Integer> takenOver = new java.util.HashSet<>();
            long deadline = killedAt + PART_TIMEOUT.toMillis();
            while (takenOver.size() < partitions.size()) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("fail-over: output partitions other than " + takenOver + " got no event sent after "
                            + victim.name + " was killed within " + PART_TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Matcher m = SENT.matcher(new String(record.value(), java.nio.charset.StandardCharsets.UTF_8));
                    if (m.find() && Long.parseLong(m.group(1)) > killedAt) {
                        takenOver.add(record.partition());
                    }
                }
            }
            return "kill -9 " + victim.name + " (pid " + pid + "); events sent after the kill came out of every output "
                    + "partition within " + seconds(System.currentTimeMillis() - killedAt) + " (the survivor took over)";
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
     * Waits until CDC delivers again: the newest row version committed in MariaDB now must reach the table topic.
     * A RUNNING status proves nothing here (a restarted worker first reports the status it stored before the crash).
     * A connector task that FAILED meanwhile is restarted through the REST API, once per call, and the detail says so.
     */
    String awaitCdcFlowing() {
        long start = System.currentTimeMillis();
        long target = ReferenceHistory.maxRev(stack);
        long deadline = start + PART_TIMEOUT.toMillis();
        boolean restarted = false;
        while (cdc.maxRev() < target) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("CDC did not deliver rev " + target + " within " + PART_TIMEOUT.toSeconds()
                        + " s (newest delivered: " + cdc.maxRev() + "); connector: " + connectorSummary());
            }
            if (!restarted && restartIfFailed()) {
                restarted = true;
            }
            EnricherFleet.pause(250);
        }
        return "CDC delivered the newest change (rev " + target + ") " + seconds(System.currentTimeMillis() - start)
                + " later" + (restarted ? " (after the harness restarted the FAILED connector task)" : "");
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
