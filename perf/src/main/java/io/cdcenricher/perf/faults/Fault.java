package io.cdcenricher.perf.faults;

import java.util.ArrayList;
import java.util.List;

/** The faults the harness injects, one per phase; {@link #NONE} is the baseline phase that opens every run. */
public enum Fault {
    NONE("baseline", "no fault: the load and the row churn only"),
    ENRICHER_KILL("enricher-kill", "kill -9 of one enricher instance at a random moment, restarted at once"),
    CONNECT_KILL("connect-kill", "kill -9 of the Kafka Connect worker (Debezium), restarted at once"),
    BROKER_KILL("broker-kill", "kill -9 of the Kafka broker, restarted at once"),
    MARIADB_RESTART("mariadb-restart", "MariaDB stopped (SIGTERM) and started again"),
    MARIADB_KILL("mariadb-kill", "kill -9 of MariaDB (crash recovery of InnoDB and the binlog), restarted at once; "
            + "not in the default lists: ask for it with --faults"),
    FAILOVER("failover", "kill -9 of one of the two enricher instances; the other takes over its partitions "
            + "(standby replicas); the killed one returns only at the end of the phase");

    private final String label;
    private final String description;

    Fault(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** {@code enricher-kill*3,broker-kill}: labels, each optionally repeated with {@code *N}. */
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
            if (fault != NONE && fault.label.equals(label)) {
                return fault;
            }
        }
        throw new IllegalArgumentException("--faults: unknown fault '" + label
                + "' (enricher-kill, connect-kill, broker-kill, mariadb-restart, mariadb-kill, failover)");
    }
}
