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
 * The reference table and its change history, both in MariaDB: {@code faults.customers} is what Debezium captures,
 * {@code faults.customer_changes} records every change in the same transaction (change number, operation, values,
 * commit time). A change whose COMMIT got no answer (MariaDB went down) is in the history exactly when it happened,
 * so the oracle reads the history back from the database at the end instead of trusting what the writer believes.
 * Each row's {@code rev} is the number of the change that wrote it, so an enriched event names its row version.
 */
final class ReferenceHistory {

    static final String DATABASE = "faults";
    static final String PREFIX = "faults";
    static final String TOPIC = PREFIX + "." + DATABASE + ".customers";
    static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};

    /** One committed change of one customer row. */
    record Change(long rev, long customerId, char op, String name, String tier, long committedMs) {
        boolean isDelete() {
            return op == 'd';
        }
    }

    private ReferenceHistory() {
    }

    /** Creates both tables and inserts {@code customers} rows, each with its insert in the history. */
    static void create(Stack stack, int customers) {
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db,
                    "DROP DATABASE IF EXISTS " + DATABASE,
                    "CREATE DATABASE " + DATABASE,
                    "CREATE TABLE " + DATABASE + ".customers (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, "
                            + "tier VARCHAR(16) NOT NULL, rev BIGINT NOT NULL)",
                    "CREATE TABLE " + DATABASE + ".customer_changes (rev BIGINT AUTO_INCREMENT PRIMARY KEY, "
                            + "customer_id INT NOT NULL, op CHAR(1) NOT NULL, name VARCHAR(64), tier VARCHAR(16), "
                            + "committed_ms BIGINT NOT NULL)");
            db.setAutoCommit(false);
            try (Statement st = db.createStatement()) {
                // rev = id for the initial rows: the history's AUTO_INCREMENT starts at 1 and runs in id order.
                for (int first = 1; first <= customers; first += 1000) {
                    int last = Math.min(customers, first + 999);
                    StringBuilder rows = new StringBuilder("INSERT INTO " + DATABASE + ".customers VALUES ");
                    StringBuilder changes = new StringBuilder("INSERT INTO " + DATABASE
                            + ".customer_changes (rev, customer_id, op, name, tier, committed_ms) VALUES ");
                    for (int id = first; id <= last; id++) {
                        String sep = id > first ? "," : "";
                        rows.append(sep).append('(').append(id).append(",'Customer ").append(id).append("','")
                                .append(TIERS[id % TIERS.length]).append("',").append(id).append(')');
                        changes.append(sep).append('(').append(id).append(',').append(id).append(",'i','Customer ")
                                .append(id).append("','").append(TIERS[id % TIERS.length])
                                .append("',ROUND(UNIX_TIMESTAMP(NOW(6))*1000))");
                    }
                    st.execute(rows.toString());
                    st.execute(changes.toString());
                }
            }
            db.commit();
        } catch (SQLException e) {
            throw new StackException("creating the reference table failed: " + e.getMessage(), e);
        }
    }

    /**
     * One change in one transaction: the history row first (its AUTO_INCREMENT number is the new {@code rev}), then
     * the row itself. A change that does not apply (an update of a deleted row, an insert of an existing one) is
     * rolled back, so the history holds only changes that happened.
     *
     * @return true when the change was committed (as far as this connection knows)
     */
    static boolean apply(Connection db, long customerId, char op, String name, String tier) throws SQLException {
        long rev;
        try (PreparedStatement change = db.prepareStatement("INSERT INTO " + DATABASE
                + ".customer_changes (customer_id, op, name, tier, committed_ms) "
                + "VALUES (?, ?, ?, ?, ROUND(UNIX_TIMESTAMP(NOW(6))*1000))", Statement.RETURN_GENERATED_KEYS)) {
            change.setLong(1, customerId);
            change.setString(2, Character.toString(op));
            change.setString(3, name);
            change.setString(4, tier);
            change.executeUpdate();
            try (ResultSet keys = change.getGeneratedKeys()) {
                keys.next();
                rev = keys.getLong(1);
            }
        }
        String sql = switch (op) {
            case 'u' -> "UPDATE " + DATABASE + ".customers SET name = ?, tier = ?, rev = ? WHERE id = ?";
            case 'i' -> "INSERT IGNORE INTO " + DATABASE + ".customers (name, tier, rev, id) VALUES (?, ?, ?, ?)";
            case 'd' -> "DELETE FROM " + DATABASE + ".customers WHERE id = ?";
            default -> throw new IllegalArgumentException("op " + op);
        };
        int changed;
        try (PreparedStatement row = db.prepareStatement(sql)) {
            if (op == 'd') {
                row.setLong(1, customerId);
            } else {
                row.setString(1, name);
                row.setString(2, tier);
                row.setLong(3, rev);
                row.setLong(4, customerId);
            }
            changed = row.executeUpdate();
        }
        if (changed != 1) {
            db.rollback();
            return false;
        }
        db.commit();
        return true;
    }

    /** Every committed change, per customer in commit order (a customer's changes are serialized by its row lock). */
    static Map<Long, List<Change>> read(Stack stack) {
        Map<Long, List<Change>> history = new HashMap<>();
        try (Connection db = stack.mariadb().adminConnection("");
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT rev, customer_id, op, name, tier, committed_ms FROM " + DATABASE
                     + ".customer_changes ORDER BY rev")) {
            while (rs.next()) {
                Change change = new Change(rs.getLong(1), rs.getLong(2), rs.getString(3).charAt(0), rs.getString(4),
                        rs.getString(5), rs.getLong(6));
                history.computeIfAbsent(change.customerId(), id -> new ArrayList<>()).add(change);
            }
        } catch (SQLException e) {
            throw new StackException("reading the change history failed: " + e.getMessage(), e);
        }
        return history;
    }

    /** The newest row version (not a delete) committed so far: CDC has caught up once the topic carries it. */
    static long maxRev(Stack stack) {
        try (Connection db = stack.mariadb().adminConnection("");
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(rev), 0) FROM " + DATABASE
                     + ".customer_changes WHERE op <> 'd'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StackException("reading the newest change failed: " + e.getMessage(), e);
        }
    }
}
