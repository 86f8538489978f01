package io.cdcenricher.perf.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults the harness injects, one per phase; {@link #NONE} is the baseline phase that opens every run. The
 * enricher faults and the broker faults of the cluster measure how long the output stalls (see {@link ResumeWatch});
 * a Connect or database fault does not stall the output (its recovery is judged by data); the cluster
 * faults need the cluster stack ({@code --cluster}: three KRaft nodes, two Connect workers). An old name of a fault
 * stays usable as an alias, so earlier command lines still run.
 */
public enum Fault {
    NONE("baseline", "no fault: the load and the row churn only", null, List.of()),
    ENRICHER_RESTART("enricher-restart", "kill -9 of one running enricher instance at a random moment, started again at "
            + "once with the same config and state directory (the same identity)", "restart", List.of("enricher-kill")),
    CONNECT_KILL("connect-kill", "kill -9 of the Kafka Connect worker (Debezium), restarted at once", null, List.of()),
    BROKER_KILL("broker-kill", "kill -9 of the Kafka broker, restarted at once", null, List.of()),
    MARIADB_RESTART("mariadb-restart", "MariaDB stopped (SIGTERM) and started again", null, List.of()),
    MARIADB_KILL("mariadb-kill", "kill -9 of MariaDB (crash recovery of InnoDB and the binlog), restarted at once; "
            + "not in the default lists: ask for it with --faults", null, List.of()),
    ENRICHER_LOSS("enricher-loss", "kill -9 of one enricher instance, not restarted in its phase: the other takes over "
            + "its partitions (standby replicas); the victim is started again at the end of the phase", "loss",
            List.of("failover")),
    ROLLING_RESTART("rolling-restart", "a graceful rolling restart under load: each instance in turn stopped with "
            + "SIGTERM, started again and awaited until RUNNING, before the next", "rolling restart", List.of()),
    EVENTS_LEADER_KILL("events-leader-kill", "kill -9 of the broker that leads a partition of the events topic (the "
            + "enricher's input), restarted at once", "kill", List.of(), true),
    BROKER_LOSS("broker-loss", "kill -9 of the broker that leads a partition of the events topic, kept down for up "
            + "to 2 minutes (a machine that does not come back soon): the output must resume while it is down; then it "
            + "is started again", "loss", List.of(), true),
    TABLE_LEADER_KILL("table-leader-kill", "kill -9 of the broker that leads the global table's topic (what Debezium "
            + "writes and every instance reads), restarted at once", "kill", List.of(), true),
    CONTROLLER_KILL("controller-kill", "kill -9 of the active KRaft controller (combined mode: a broker too), "
            + "restarted at once", "kill", List.of(), true),
    COORDINATOR_KILL("coordinator-kill", "kill -9 of the transaction coordinator of an enricher instance's "
            + "transactional producer (exactly_once_v2), restarted at once", "kill", List.of(), true),
    TASK_WORKER_KILL("task-worker-kill", "kill -9 of the Connect worker that runs the Debezium task; the task must "
            + "move to the other worker, then the victim is started again", null, List.of(), true),
    BROKER_ROLLING_RESTART("broker-rolling-restart", "each broker in turn stopped with SIGTERM (controlled shutdown), "
            + "started again and awaited until every partition is back in sync, before the next", "rolling restart",
            List.of(), true);

    private final String label;
    private final String description;
    private final String noun;
    private final List<String> aliases;
    private final boolean needsCluster;

    Fault(String label, String description, String noun, List<String> aliases) {
        this(label, description, noun, aliases, false);
    }

    Fault(String label, String description, String noun, List<String> aliases, boolean needsCluster) {
        this.label = label;
        this.description = description;
        this.noun = noun;
        this.aliases = aliases;
        this.needsCluster = needsCluster;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Other names {@code --faults} accepts for it (the names it had before it was renamed). */
    public List<String> aliases() {
        return aliases;
    }

    /** Whether it needs the cluster stack: a leader to move, a second worker, a quorum that survives one node. */
    public boolean needsCluster() {
        return needsCluster;
    }

    /** Whether its injection measures the output's resume time (the enricher faults and the broker faults). */
    public boolean measuresResume() {
        return noun != null;
    }

    /** "1 restart", "5 restarts", "2 losses": how the report's summary counts it (faults that measure resume time). */
    String count(int times) {
        return times + " " + (times == 1 ? noun : noun.endsWith("s") ? noun + "es" : noun + "s");
    }

    /** {@code enricher-restart*3,broker-kill}: labels or aliases, each optionally repeated with {@code *N}. */
    static List<Fault> parseList(String text) {
        List<Fault> faults = new ArrayList<>();
        for (String part : text.split(",")) {
            String item = part.trim();
            int times = 1;
            int star = item.indexOf('*');
            if (star >= 0) {
                try {
                    times = Integer.parseInt(item.substring(star + 1).trim());
                } catch (NumberFormatException e) {
                    times = -1;
                }
                if (times < 1) {
                    throw new IllegalArgumentException("--faults: '" + item + "': the repeat count after * must be a positive number");
                }
                item = item.substring(0, star).trim();
            }
            Fault fault = byLabel(item);
            for (int i = 0; i < times; i++) {
                faults.add(fault);
            }
        }
        if (faults.isEmpty()) {
            throw new IllegalArgumentException("--faults: name at least one fault");
        }
        return faults;
    }

    private static Fault byLabel(String label) {
        for (Fault fault : values()) {
            if (fault != NONE && (fault.label.equals(label) || fault.aliases.contains(label))) {
                return fault;
            }
        }
        List<String> names = new ArrayList<>();
        for (Fault fault : values()) {
            if (fault != NONE) {
                names.add(fault.label);
            }
        }
        throw new IllegalArgumentException("--faults: unknown fault '" + label + "' (" + String.join(", ", names) + ")");
    }
}
