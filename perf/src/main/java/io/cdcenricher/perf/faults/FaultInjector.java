package io.cdcenricher.perf.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.cdcenricher.ops.ConnectWorker;
import io.cdcenricher.ops.ConnectorStatus;
import io.cdcenricher.ops.KafkaBroker;
import io.cdcenricher.ops.Poll;
import io.cdcenricher.ops.PollTimeoutException;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackException;
import io.cdcenricher.ops.StackPart;
import org.apache.kafka.clients.admin.Admin;

/**
 * Injects one fault into the running system and brings the faulted part back, the way an operator or a supervisor
 * would: a killed process is started again at once, MariaDB is restarted, a connector task that failed is restarted
 * through the Connect REST API (and the report says so). Each injection says what it did and how long recovery took;
 * an enricher fault also how long the output stalled, as a downstream consumer sees it ({@link ResumeWatch}).
 */
final class FaultInjector {

    private static final Duration PART_TIMEOUT = Duration.ofSeconds(120);
    /**
     * How long the output may stay stalled before the run gives up on it. The oracle judges the run, not this figure:
     * on a loaded 2-core machine a cluster fault took 141 to 201 s to resume (3 KRaft nodes, 2 workers, 2 enrichers
     * and the harness sharing the cores), so a bound tight enough to flag a slow resume would abort the verdict.
     */
    private static final Duration RESUME_TIMEOUT = Duration.ofSeconds(300);
    /** How long a broker-loss keeps its node down if the output does not resume without it. */
    private static final Duration NODE_LOSS = Duration.ofSeconds(120);
    /** A controlled shutdown moves the node's leaderships first: seconds, not minutes. */
    private static final Duration BROKER_STOP_GRACE = Duration.ofSeconds(60);

    /**
     * A process a fault stopped or killed.
     *
     * @param process its name (an enricher instance, or a part of the stack)
     * @param oldPid  the pid stopped or killed
     * @param newPid  the pid that replaced it (-1 when it returns only later, as after an enricher loss)
     */
    record Turnover(String process, long oldPid, long newPid) {
    }

    /**
     * What one fault did.
     *
     * @param turnovers the processes it stopped or killed, in order (none for the baseline; two for a rolling restart)
     * @param resumeMs  for the enricher faults, from the kill (or the SIGTERM) until every output partition had a
     *                  committed record of an event sent after it, the worst of the stops of a rolling restart;
     *                  -1 when not measured
     */
    record Injection(Fault fault, long atMs, long recoveryMs, String detail, List<Turnover> turnovers, long resumeMs) {

        /** The pid the fault stopped or killed first (-1 for the baseline). */
        long oldPid() {
            return turnovers.isEmpty() ? -1 : turnovers.get(0).oldPid();
        }

        /** The pid that replaced it (-1 for the baseline, or when it returns only later). */
        long newPid() {
            return turnovers.isEmpty() ? -1 : turnovers.get(0).newPid();
        }
    }

    /** What an injection's step reports: its text, the processes it replaced and the resume time it measured. */
    private record Step(String detail, List<Turnover> turnovers, long resumeMs) {

        static Step of(String detail, Turnover turnover) {
            return new Step(detail, List.of(turnover), -1);
        }
    }

    /**
     * What the faults aim at.
     *
     * @param connector     the Debezium connector's name
     * @param events        the events topic (the enricher's input)
     * @param output        the enriched topic (read to measure the output's resume)
     * @param table         the global table's topic (Debezium writes it, every instance reads it)
     * @param applicationId the enricher's application id, the prefix of its producers' transactional ids
     */
    record Targets(String connector, String events, String output, String table, String applicationId) {
    }

    private final Stack stack;
    private final EnricherFleet fleet;
    private final Targets targets;
    private final String connector;
    private final Random random;
    private final Consumer<String> progress;
    private final CdcProbe cdc;
    private final List<String> notes = new ArrayList<>();
    private long lastWatch;
    private EnricherFleet.Instance lossVictim;

    FaultInjector(Stack stack, EnricherFleet fleet, Targets targets, CdcProbe cdc, Random random,
                  Consumer<String> progress) {
        this.stack = stack;
        this.cdc = cdc;
        this.fleet = fleet;
        this.targets = targets;
        this.connector = targets.connector();
        this.random = random;
        this.progress = progress;
    }

    Injection inject(Fault fault) {
        long at = System.currentTimeMillis();
        Step step = switch (fault) {
            case NONE -> new Step("none", List.of(), -1);
            case ENRICHER_RESTART -> restartEnricher();
            case CONNECT_KILL -> killAndRestart(stack.connect());
            case BROKER_KILL -> killAndRestart(stack.kafka());
            case MARIADB_RESTART -> restartMariaDb();
            case MARIADB_KILL -> killAndRestart(stack.mariadb());
            case ENRICHER_LOSS -> loseEnricher();
            case ROLLING_RESTART -> rollingRestart();
            case EVENTS_LEADER_KILL -> {
                int partition = random.nextInt(partitionCount(targets.events()));
                yield killNode(leaderOf(targets.events(), partition), "the leader of " + targets.events() + "-"
                        + partition, () -> "that partition is led by " + leaderName(targets.events(), partition));
            }
            case BROKER_LOSS -> loseNode();
            case TABLE_LEADER_KILL -> killNode(leaderOf(targets.table(), 0), "the leader of " + targets.table() + "-0",
                    () -> "that partition is led by " + leaderName(targets.table(), 0));
            case CONTROLLER_KILL -> killNode(stack.kafkaCluster().activeController(), "the active controller",
                    () -> "the active controller is " + stack.kafkaCluster().activeController().name());
            case COORDINATOR_KILL -> killCoordinator();
            case TASK_WORKER_KILL -> killTaskWorker();
            case BROKER_ROLLING_RESTART -> brokerRollingRestart();
        };
        String detail = step.detail();
        if (fault == Fault.CONNECT_KILL || fault == Fault.BROKER_KILL || fault == Fault.MARIADB_RESTART
                || fault == Fault.MARIADB_KILL || fault.needsCluster()) {
            detail += "; " + awaitCdcFlowing();
        }
        long recovery = System.currentTimeMillis() - at;
        progress.accept("  " + fault.label() + ": " + detail + " (recovered in " + seconds(recovery) + ")");
        return new Injection(fault, at, recovery, detail, step.turnovers(), step.resumeMs());
    }

    /**
     * kill -9 of a random running instance, started again at once with the same config and state directory, as a
     * supervisor (systemd, Kubernetes) restarts a crashed process: the same identity comes back. The output has
     * resumed when every partition carries an event sent after the kill.
     */
    private Step restartEnricher() {
        EnricherFleet.Instance victim = randomRunningInstance();
        try (ResumeWatch watch = resumeWatch()) {
            long pid = fleet.kill(victim);
            long killedAt = System.currentTimeMillis();
            long restartMs = fleet.restart(victim, PART_TIMEOUT);
            long resumeMs = awaitResumed(watch, killedAt, RESUME_TIMEOUT, "enricher-restart of " + victim.name);
            return new Step("kill -9 " + victim.name + " (pid " + pid + "); started again at once (pid " + victim.pid()
                    + "), RUNNING " + seconds(restartMs) + " after its start; " + resumed(resumeMs, "kill"),
                    List.of(new Turnover(victim.name, pid, victim.pid())), resumeMs);
        }
    }

    /**
     * kill -9 of a random running instance, not restarted in its phase ({@link #endEnricherLoss} brings it back): the
     * output resumes in every partition only once the survivor has taken over the victim's partitions (after the
     * session timeout, with the standby replicas warm).
     */
    private Step loseEnricher() {
        EnricherFleet.Instance victim = randomRunningInstance();
        try (ResumeWatch watch = resumeWatch()) {
            long pid = fleet.kill(victim);
            lossVictim = victim;
            long killedAt = System.currentTimeMillis();
            long resumeMs = awaitResumed(watch, killedAt, RESUME_TIMEOUT, "enricher-loss of " + victim.name);
            return new Step("kill -9 " + victim.name + " (pid " + pid + "), not restarted in this phase; "
                    + resumed(resumeMs, "kill") + " (the survivor took over)",
                    List.of(new Turnover(victim.name, pid, -1)), resumeMs);
        }
    }

    /** Brings back the victim of an enricher loss at the end of its phase. */
    String endEnricherLoss() {
        EnricherFleet.Instance victim = lossVictim;
        lossVictim = null;
        if (victim == null) {
            return "no enricher instance was lost";
        }
        long ms = fleet.restart(victim, PART_TIMEOUT);
        return victim.name + " restarted at the end of the phase, RUNNING after " + seconds(ms);
    }

    /**
     * A graceful rolling restart, as an operator deploys a new version: one instance at a time is stopped with
     * SIGTERM, started again and awaited until RUNNING, and the output must have resumed before the next one goes.
     * The step's resume time is the worst of the stops.
     */
    private Step rollingRestart() {
        List<String> steps = new ArrayList<>();
        List<Turnover> turnovers = new ArrayList<>();
        long worstMs = -1;
        for (EnricherFleet.Instance instance : fleet.instances()) {
            try (ResumeWatch watch = resumeWatch()) {
                long stoppingAt = System.currentTimeMillis();
                long pid = fleet.stop(instance);
                long stoppedMs = System.currentTimeMillis() - stoppingAt;
                long restartMs = fleet.restart(instance, PART_TIMEOUT);
                long resumeMs = awaitResumed(watch, stoppingAt, RESUME_TIMEOUT,
                        "rolling-restart, SIGTERM of " + instance.name);
                worstMs = Math.max(worstMs, resumeMs);
                turnovers.add(new Turnover(instance.name, pid, instance.pid()));
                steps.add("SIGTERM " + instance.name + " (pid " + pid + "), exited after " + seconds(stoppedMs)
                        + ", started again (pid " + instance.pid() + "), RUNNING " + seconds(restartMs)
                        + " after its start; "
                        + resumed(resumeMs, "SIGTERM"));
            }
        }
        return new Step(String.join("; then ", steps) + "; worst: " + seconds(worstMs), turnovers, worstMs);
    }

    private EnricherFleet.Instance randomRunningInstance() {
        List<EnricherFleet.Instance> running = fleet.instances().stream().filter(EnricherFleet.Instance::isRunning)
                .toList();
        if (running.size() < 2) {
            throw new IllegalStateException("an enricher fault needs two running instances, not " + running.size());
        }
        return running.get(random.nextInt(running.size()));
    }

    /**
     * Waits until the output resumed, standing in meanwhile for the instances' supervisor: an instance that exited
     * on its own is started again at once, as systemd or Kubernetes would, instead of only between the waits. A
     * timeout says what each instance was doing.
     */
    private long awaitResumed(ResumeWatch watch, long sinceMs, Duration timeout, String what) {
        try {
            return watch.awaitResumed(sinceMs, timeout, what, this::superviseFleet);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; the enricher instances: " + fleet.describe()
                    + "; " + StallSnapshot.describe(stack.adminProperties(), targets.events(), targets.output(),
                    targets.applicationId()), e);
        }
    }

    /** Starts again, at once, an instance that exited on its own, as its supervisor would. */
    private void superviseFleet() {
        notes.addAll(fleet.restartUnexpectedlyDead(PART_TIMEOUT));
    }

    private ResumeWatch resumeWatch() {
        return ResumeWatch.atEndOf(stack.settings().bootstrapServers(), targets.output());
    }

    /**
     * kill -9 of one KRaft node, started again at once as a supervisor would; the output has resumed when every
     * partition carries an event sent after the kill. {@code afterwards} says where the role moved.
     */
    private Step killNode(KafkaBroker node, String role, Supplier<String> afterwards) {
        try (ResumeWatch watch = resumeWatch()) {
            long pid = node.process().kill().orElseThrow(() -> new StackException(node.name() + " was not running"));
            long killedAt = System.currentTimeMillis();
            node.up(PART_TIMEOUT);
            long answeringMs = System.currentTimeMillis() - killedAt;
            long resumeMs = awaitResumed(watch, killedAt, RESUME_TIMEOUT,
                    "kill -9 of " + role + " (" + node.name() + ")");
            long newPid = node.process().handle().orElseThrow().pid();
            return new Step("kill -9 " + node.name() + " (pid " + pid + "), " + role + "; restarted (pid " + newPid
                    + "), answering after " + seconds(answeringMs) + "; " + resumed(resumeMs, "kill") + "; now "
                    + afterwards.get(), List.of(new Turnover(node.name(), pid, newPid)), resumeMs);
        }
    }

    /**
     * kill -9 of the leader of a random events partition, started again only after the output resumed without it,
     * or after {@link #NODE_LOSS} if it does not: whether exactly-once processing goes on while a node stays away
     * (leadership moves within the broker session timeout; transactions must complete on the two survivors).
     */
    private Step loseNode() {
        int partition = random.nextInt(partitionCount(targets.events()));
        KafkaBroker node = leaderOf(targets.events(), partition);
        String role = "the leader of " + targets.events() + "-" + partition;
        try (ResumeWatch watch = resumeWatch()) {
            long pid = node.process().kill().orElseThrow(() -> new StackException(node.name() + " was not running"));
            long killedAt = System.currentTimeMillis();
            long resumeMs;
            String outcome;
            try {
                // not resuming while the node is away is an outcome here, not a failure: no stall diagnosis
                resumeMs = watch.awaitResumed(killedAt, NODE_LOSS, "broker-loss of " + node.name(),
                        this::superviseFleet);
                outcome = resumed(resumeMs, "kill") + ", with " + node.name() + " still down; "
                        + targets.events() + "-" + partition + " led by " + leaderName(targets.events(), partition);
            } catch (IllegalStateException e) {
                resumeMs = -1;
                outcome = "the output did NOT resume within " + NODE_LOSS.toSeconds() + " s while " + node.name()
                        + " was down (" + e.getMessage() + ")";
            }
            long downMs = System.currentTimeMillis() - killedAt;
            node.up(PART_TIMEOUT);
            long newPid = node.process().handle().orElseThrow().pid();
            if (resumeMs < 0) {
                resumeMs = awaitResumed(watch, killedAt, RESUME_TIMEOUT, "broker-loss of " + node.name()
                        + ", after its return");
                outcome += "; " + resumed(resumeMs, "kill") + ", once it was back";
            }
            return new Step("kill -9 " + node.name() + " (pid " + pid + "), " + role + "; " + outcome + "; down for "
                    + seconds(downMs) + ", then restarted (pid " + newPid + ")",
                    List.of(new Turnover(node.name(), pid, newPid)), resumeMs);
        }
    }

    /**
     * kill -9 of the transaction coordinator of one enricher instance's producer: the node that owns the
     * {@code __transaction_state} partition of its transactional id. Open transactions there are aborted or completed
     * by the coordinator that takes over; read_committed readers must see each event once.
     */
    private Step killCoordinator() {
        Map<String, Integer> coordinators = TransactionCoordinators.of(stack.adminProperties(),
                targets.applicationId() + "-");
        if (coordinators.isEmpty()) {
            throw new IllegalStateException("no transactional id of " + targets.applicationId() + " is known to the "
                    + "cluster: is the enricher running with exactly_once_v2?");
        }
        List<String> ids = new ArrayList<>(coordinators.keySet());
        String id = ids.get(random.nextInt(ids.size()));
        return killNode(stack.kafkaCluster().node(coordinators.get(id)), "the transaction coordinator of " + id,
                () -> "its coordinator is " + Optional.ofNullable(
                        TransactionCoordinators.of(stack.adminProperties(), id).get(id))
                        .map(node -> stack.kafkaCluster().node(node).name()).orElse("not known yet"));
    }

    /**
     * kill -9 of the Connect worker running the Debezium task. The victim is started again only once the task runs
     * on the other worker: a worker that comes back within {@code scheduled.rebalance.max.delay.ms} gets its tasks
     * back, which would prove nothing about the move.
     */
    private Step killTaskWorker() {
        ConnectWorker victim = stack.connectCluster().workerRunningTask(connector, 0)
                .orElseThrow(() -> new IllegalStateException("no Connect worker runs task 0 of " + connector));
        long pid = victim.process().kill().orElseThrow(() -> new StackException(victim.name() + " was not running"));
        long killedAt = System.currentTimeMillis();
        String taker;
        try {
            taker = Poll.until("task 0 of " + connector + " RUNNING on a worker other than " + victim.name(),
                    PART_TIMEOUT, Duration.ofMillis(250), () -> runningElsewhere(victim), Optional::isPresent)
                    .orElseThrow();
        } catch (PollTimeoutException e) {
            throw new IllegalStateException("the Debezium task did not move off the killed " + victim.name()
                    + " within " + PART_TIMEOUT.toSeconds() + " s; connector: " + connectorSummary(), e);
        }
        long movedMs = System.currentTimeMillis() - killedAt;
        victim.up(PART_TIMEOUT);
        long newPid = victim.process().handle().orElseThrow().pid();
        return Step.of("kill -9 " + victim.name() + " (pid " + pid + "), which ran the Debezium task; the task RUNNING "
                + "on " + taker + " " + seconds(movedMs) + " after the kill; " + victim.name() + " started again (pid "
                + newPid + "), answering after " + seconds(System.currentTimeMillis() - killedAt - movedMs),
                new Turnover(victim.name(), pid, newPid));
    }

    /** The worker, other than {@code victim}, on which task 0 runs now; empty while it does not (or REST is away). */
    private Optional<String> runningElsewhere(ConnectWorker victim) {
        try {
            return stack.connectRest().status(connector)
                    .flatMap(status -> status.tasks().stream().filter(t -> t.id() == 0).findFirst())
                    .filter(task -> "RUNNING".equals(task.state()) && !victim.workerId().equals(task.workerId()))
                    .flatMap(task -> stack.connectCluster().workers().stream()
                            .filter(w -> w.workerId().equals(task.workerId())).findFirst())
                    .map(ConnectWorker::name);
        } catch (StackException e) {
            return Optional.empty(); // the group is rebalancing or the live worker is busy: ask again
        }
    }

    /**
     * A broker deployment's rolling restart: each node in turn stopped with SIGTERM (a controlled shutdown moves its
     * leaderships away first), started again, and awaited until every partition is back in sync, so that the next
     * stop never takes a partition below {@code min.insync.replicas}. The step's resume time is the worst of the stops.
     */
    private Step brokerRollingRestart() {
        List<String> steps = new ArrayList<>();
        List<Turnover> turnovers = new ArrayList<>();
        long worstMs = -1;
        for (KafkaBroker node : stack.kafkaCluster().nodes()) {
            try (ResumeWatch watch = resumeWatch()) {
                long pid = node.process().handle().orElseThrow(() -> new StackException(node.name() + " was not running"))
                        .pid();
                long stoppingAt = System.currentTimeMillis();
                node.down(BROKER_STOP_GRACE);
                long stoppedMs = System.currentTimeMillis() - stoppingAt;
                node.up(PART_TIMEOUT);
                long upMs = System.currentTimeMillis() - stoppingAt - stoppedMs;
                stack.kafkaCluster().awaitInSync(PART_TIMEOUT);
                long inSyncMs = System.currentTimeMillis() - stoppingAt;
                long resumeMs = awaitResumed(watch, stoppingAt, RESUME_TIMEOUT, "broker-rolling-restart, SIGTERM of "
                        + node.name());
                worstMs = Math.max(worstMs, resumeMs);
                long newPid = node.process().handle().orElseThrow().pid();
                turnovers.add(new Turnover(node.name(), pid, newPid));
                steps.add("SIGTERM " + node.name() + " (pid " + pid + "), exited after " + seconds(stoppedMs)
                        + ", started again (pid " + newPid + ", answering after " + seconds(upMs)
                        + "), every partition in sync " + seconds(inSyncMs) + " after the SIGTERM; "
                        + resumed(resumeMs, "SIGTERM"));
            }
        }
        return new Step(String.join("; then ", steps) + "; worst: " + seconds(worstMs), turnovers, worstMs);
    }

    private KafkaBroker leaderOf(String topic, int partition) {
        return stack.kafkaCluster().partitionLeader(topic, partition)
                .orElseThrow(() -> new IllegalStateException(topic + "-" + partition + " has no leader to kill"));
    }

    private String leaderName(String topic, int partition) {
        return stack.kafkaCluster().partitionLeader(topic, partition).map(KafkaBroker::name).orElse("no node");
    }

    private int partitionCount(String topic) {
        try (Admin admin = Admin.create(stack.adminProperties())) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topic + ": " + e.getCause(), e);
        }
    }

    private static String resumed(long resumeMs, String since) {
        return "output resumed " + seconds(resumeMs) + " after the " + since
                + " (every partition had a committed record of an event sent after it)";
    }

    private Step killAndRestart(StackPart part) {
        long pid = part.process().kill().orElseThrow(() -> new StackException(part.name() + " was not running"));
        long start = System.currentTimeMillis();
        part.up(PART_TIMEOUT);
        long newPid = part.process().handle().orElseThrow().pid();
        return Step.of("kill -9 " + part.name() + " (pid " + pid + "); restarted (pid " + newPid + "), answering after "
                + seconds(System.currentTimeMillis() - start), new Turnover(part.name(), pid, newPid));
    }

    private Step restartMariaDb() {
        StackPart mariadb = stack.mariadb();
        long oldPid = mariadb.process().handle().orElseThrow(() -> new StackException("mariadb was not running")).pid();
        long start = System.currentTimeMillis();
        mariadb.down(Duration.ofSeconds(30));
        long stopped = System.currentTimeMillis();
        mariadb.up(PART_TIMEOUT);
        long newPid = mariadb.process().handle().orElseThrow().pid();
        return Step.of("stopped mariadb (pid " + oldPid + ", SIGTERM, " + seconds(stopped - start)
                + ") and started it again (pid " + newPid + ", " + seconds(System.currentTimeMillis() - stopped) + ")",
                new Turnover(mariadb.name(), oldPid, newPid));
    }

    /**
     * Waits until CDC delivers again: a row version committed in MariaDB after this call must reach its table topic
     * (a version committed before the fault proves nothing: it may have been delivered before). A RUNNING status
     * proves nothing either (a restarted worker first reports the status it stored before the crash). A connector task
     * that FAILED meanwhile is restarted through the REST API, once per call, and the detail says so.
     */
    String awaitCdcFlowing() {
        long start = System.currentTimeMillis();
        long before = ReferenceHistory.maxRev(stack);
        long target; // the churn commits a new change every few tens of milliseconds
        try {
            target = Poll.until("MariaDB to commit a change after rev " + before, PART_TIMEOUT, Duration.ofMillis(50),
                    () -> ReferenceHistory.maxRev(stack), rev -> rev != before);
        } catch (PollTimeoutException e) {
            throw new IllegalStateException("MariaDB committed no change after rev " + before + " within "
                    + PART_TIMEOUT.toSeconds() + " s", e);
        }
        Duration left = PART_TIMEOUT.minusMillis(System.currentTimeMillis() - start);
        return "CDC delivered a change committed after the recovery (rev " + awaitDelivered(target, left) + ") "
                + seconds(System.currentTimeMillis() - start) + " later";
    }

    /** At the end of the run, with the churn stopped: waits until the newest committed version is delivered. */
    String awaitCdcCaughtUp() {
        long start = System.currentTimeMillis();
        long target = ReferenceHistory.maxRev(stack);
        awaitDelivered(target, PART_TIMEOUT);
        return "CDC delivered the last row version (rev " + target + ") " + seconds(System.currentTimeMillis() - start)
                + " after the load stopped";
    }

    /** Waits until CDC delivered {@code target}, restarting a FAILED connector task once on the way. */
    private long awaitDelivered(long target, Duration timeout) {
        AtomicBoolean restarted = new AtomicBoolean();
        try {
            Poll.until("CDC to deliver rev " + target, timeout.isNegative() ? Duration.ZERO : timeout,
                    Duration.ofMillis(100), () -> {
                        long delivered = cdc.maxRev();
                        if (delivered < target && !restarted.get() && restartIfFailed()) {
                            restarted.set(true);
                        }
                        return delivered;
                    }, delivered -> delivered >= target);
        } catch (PollTimeoutException e) {
            throw new IllegalStateException("CDC did not deliver rev " + target + " (newest delivered: " + cdc.maxRev()
                    + "); connector: " + connectorSummary() + " within " + PART_TIMEOUT.toSeconds() + " s", e);
        }
        return target;
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

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }
}
