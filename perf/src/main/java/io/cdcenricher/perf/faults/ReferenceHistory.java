package io.cdcenricher.perf.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cdcenricher.ops.Sql;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackException;

/**
 * The reference tables and their change history, all in MariaDB: {@code faults.customers} and {@code faults.products}
 * are what Debezium captures, {@code faults.changes} records every change of either in the same transaction (change
 * number, table, row, operation, values, time). A change whose COMMIT got no answer (MariaDB went down) is in the
 * history exactly when it happened, so the oracle reads the history back from the database at the end instead of
 * trusting what the writer believes. Each row's {@code rev} is the number of the change that wrote it, so an enriched
 * event names its row version.
 */
final class ReferenceHistory {

    static final String DATABASE = "faults";
    static final String PREFIX = "faults";
    static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};

    /** A captured table: its name and how many rows it starts with. */
    record Table(String name, int rows) {
        String topic() {
            return PREFIX + "." + DATABASE + "." + name;
        }

        String qualified() {
            return DATABASE + "." + name;
        }

        /** The key of one row in the history map and in the CDC probe. */
        String key(long id) {
            return name + "/" + id;
        }
    }

    /**
     * One change of one row.
     *
     * @param changedMs when the change's history row was written: a few milliseconds before the COMMIT, so a bound
     *                  "committed before X" checked against it can miss a violation by that much, never invent one
     */
    record Change(long rev, String table, long id, char op, String name, String tier, long changedMs) {
        boolean isDelete() {
            return op == 'd';
        }
    }

    private ReferenceHistory() {
    }

    /** Creates the tables and the history and inserts each table's rows, each with its insert in the history. */
    static void create(Stack stack, List<Table> tables) {
        try (Connection db = stack.mariadb().adminConnection("")) {
            List<String> ddl = new ArrayList<>(List.of("DROP DATABASE IF EXISTS " + DATABASE, "CREATE DATABASE " + DATABASE,
                    "CREATE TABLE " + DATABASE + ".changes (rev BIGINT AUTO_INCREMENT PRIMARY KEY, tbl VARCHAR(16) NOT NULL, "
                            + "row_id INT NOT NULL, op CHAR(1) NOT NULL, name VARCHAR(64), tier VARCHAR(16), "
                            + "changed_ms BIGINT NOT NULL)"));
            for (Table table : tables) {
                ddl.add("CREATE TABLE " + table.qualified() + " (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, "
                        + "tier VARCHAR(16) NOT NULL, rev BIGINT NOT NULL)");
            }
            Sql.execute(db, ddl.toArray(String[]::new));
            db.setAutoCommit(false);
            for (Table table : tables) {
                for (int first = 1; first <= table.rows(); first += 500) {
                    insertBatch(db, table, first, Math.min(table.rows(), first + 499));
                }
            }
            db.commit();
        } catch (SQLException e) {
            throw new StackException("creating the reference tables failed: " + e.getMessage(), e);
        }
    }

    private static void insertBatch(Connection db, Table table, int first, int last) throws SQLException {
        for (int id = first; id <= last; id++) {
            apply(db, table, id, 'i', initialName(table, id), TIERS[id % TIERS.length], false);
        }
    }

    static String initialName(Table table, long id) {
        return table.name() + " " + id;
    }

    /**
     * One change in one transaction: the history row first (its AUTO_INCREMENT number is the new {@code rev}), then
     * the row itself. A change that does not apply (an update of a deleted row, an insert of an existing one) is
     * rolled back, so the history holds only changes that happened.
     *
     * @return true when the change was committed (as far as this connection knows)
     */
    static boolean apply(Connection db, Table table, long id, char op, String name, String tier) throws SQLException {
        return apply(db, table, id, op, name, tier, true);
    }

    private static boolean apply(Connection db, Table table, long id, char op, String name, String tier, boolean commit)
            throws SQLException {
        long rev;
        try (PreparedStatement change = db.prepareStatement("INSERT INTO " + DATABASE
                + ".changes (tbl, row_id, op, name, tier, changed_ms) "
                + "VALUES (?, ?, ?, ?, ?, ROUND(UNIX_TIMESTAMP(NOW(6))*1000))", Statement.RETURN_GENERATED_KEYS)) {
            change.setString(1, table.name());
            change.setLong(2, id);
            change.setString(3, Character.toString(op));
            change.setString(4, name);
            change.setString(5, tier);
            change.executeUpdate();
            try (ResultSet keys = change.getGeneratedKeys()) {
                keys.next();
                rev = keys.getLong(1);
            }
        }
        String sql = switch (op) {
            case 'u' -> "UPDATE " + table.qualified() + " SET name = ?, tier = ?, rev = ? WHERE id = ?";
            case 'i' -> "INSERT IGNORE INTO " + table.qualified() + " (name, tier, rev, id) VALUES (?, ?, ?, ?)";
            case 'd' -> "DELETE FROM " + table.qualified() + " WHERE id = ?";
            default -> throw new IllegalArgumentException("op " + op);
        };
        int changed;
        try (PreparedStatement row = db.prepareStatement(sql)) {
            if (op == 'd') {
                row.setLong(1, id);
            } else {
                row.setString(1, name);
                row.setString(2, tier);
                row.setLong(3, rev);
                row.setLong(4, id);
            }
            changed = row.executeUpdate();
        }
        if (changed != 1) {
            db.rollback();
            return false;
        }
        if (commit) {
            db.commit();
        }
        return true;
    }

    /** Every committed change, per row ({@link Table#key}) in commit order (a row's changes are serialized by its lock). */
    static Map<String, List<Change>> read(Stack stack) {
        Map<String, List<Change>> history = new HashMap<>();
        try (Connection db = stack.mariadb().adminConnection("");
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT rev, tbl, row_id, op, name, tier, changed_ms FROM " + DATABASE
                     + ".changes ORDER BY rev")) {
            while (rs.next()) {
                Change change = new Change(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4).charAt(0),
                        rs.getString(5), rs.getString(6), rs.getLong(7));
                history.computeIfAbsent(change.table() + "/" + change.id(), k -> new ArrayList<>()).add(change);
            }
        } catch (SQLException e) {
            throw new StackException("reading the change history failed: " + e.getMessage(), e);
        }
        return history;
    }

    /**
     * The newest row version (not a delete: a tombstone carries no rev) committed so far: CDC has caught up once the
     * probe has seen it.
     */
    static long maxRev(Stack stack) {
        try (Connection db = stack.mariadb().adminConnection("");
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(rev), 0) FROM " + DATABASE + ".changes WHERE op <> 'd'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StackException("reading the newest change failed: " + e.getMessage(), e);
        }
    }
}
