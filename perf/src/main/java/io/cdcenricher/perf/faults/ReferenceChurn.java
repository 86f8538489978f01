package io.cdcenricher.perf.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.cdcenricher.ops.Stack;

/**
 * Changes reference rows (of every table, at random) at a steady rate for the whole run: mostly UPDATEs, some DELETEs, and re-INSERTs of deleted
 * rows, each with its history row ({@link ReferenceHistory#apply}). When MariaDB goes away it reconnects and goes on;
 * a change whose fate is unknown is settled by the history, which the oracle reads at the end.
 */
final class ReferenceChurn implements AutoCloseable {

    private static final double DELETE_SHARE = 0.05;

    private final Stack stack;
    private final List<ReferenceHistory.Table> tables;
    private final int perSecond;
    private final Random random;
    private final Thread thread;
    private final Set<String> deleted = new HashSet<>();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean running = true;

    ReferenceChurn(Stack stack, List<ReferenceHistory.Table> tables, int perSecond, long seed) {
        this.stack = stack;
        this.tables = List.copyOf(tables);
        this.perSecond = perSecond;
        this.random = new Random(seed);
        this.thread = new Thread(this::run, "reference-churn");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    long committed() {
        return committed.get();
    }

    /** Attempts that failed with an SQL error (MariaDB down or restarting); the change may or may not have happened. */
    long failures() {
        return failures.get();
    }

    private void run() {
        long intervalNanos = 1_000_000_000L / perSecond;
        long next = System.nanoTime();
        Connection db = null;
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                park(wait);
                continue;
            }
            next += intervalNanos;
            try {
                if (db == null) {
                    db = stack.mariadb().adminConnection("");
                    db.setAutoCommit(false);
                }
                changeOne(db);
            } catch (SQLException e) {
                failures.incrementAndGet();
                close(db);
                db = null;
                next = System.nanoTime() + 200_000_000L; // MariaDB is down: retry a little later, do not pile up
            }
        }
        close(db);
    }

    private void changeOne(Connection db) throws SQLException {
        ReferenceHistory.Table table = tables.get(random.nextInt(tables.size()));
        long id = 1 + random.nextInt(table.rows());
        String key = table.key(id);
        char op = deleted.contains(key) ? 'i' : random.nextDouble() < DELETE_SHARE ? 'd' : 'u';
        String name = op == 'd' ? null : ReferenceHistory.initialName(table, id) + " v" + random.nextInt(1_000_000);
        String tier = op == 'd' ? null : ReferenceHistory.TIERS[random.nextInt(ReferenceHistory.TIERS.length)];
        if (ReferenceHistory.apply(db, table, id, op, name, tier)) {
            committed.incrementAndGet();
            if (op == 'd') {
                deleted.add(key);
            } else {
                deleted.remove(key);
            }
        } else {
            refresh(db, table, id); // a commit whose answer was lost earlier: learn the row's real state
        }
    }

    private void refresh(Connection db, ReferenceHistory.Table table, long id) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT COUNT(*) FROM " + table.qualified() + " WHERE id = ?")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    deleted.add(table.key(id));
                } else {
                    deleted.remove(table.key(id));
                }
            }
        }
        db.rollback();
    }

    private static void park(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(Math.min(nanos, 50_000_000L));
    }

    private static void close(Connection db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException e) {
                // the connection is gone with the server
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
