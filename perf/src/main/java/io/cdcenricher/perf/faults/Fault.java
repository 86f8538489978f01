package io.cdcenricher.perf.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults the harness injects, one per phase; {@link #NONE} is the baseline phase that opens every run. The three
 * enricher faults measure how long the output stalls (see {@link ResumeWatch}); an old name of a fault stays usable
 * as an alias, so earlier command lines still run.
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
            + "SIGTERM, started again and awaited until RUNNING, before the next", "rolling restart", List.of());

    private final String label;
    private final String description;
    private final String noun;
    private final List<String> aliases;

    Fault(String label, String description, String noun, List<String> aliases) {
        this.label = label;
        this.description = description;
        this.noun = noun;
        this.aliases = aliases;
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

    /** Whether its injection measures the output's resume time (the enricher faults). */
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
