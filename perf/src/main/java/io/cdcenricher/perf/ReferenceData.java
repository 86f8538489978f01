package io.cdcenricher.perf;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import io.cdcenricher.ops.ConnectorStatus;
import io.cdcenricher.ops.Poll;
import io.cdcenricher.ops.PollTimeoutException;
import io.cdcenricher.ops.Sql;
import io.cdcenricher.ops.Stack;
import io.cdcenricher.ops.StackException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The reference data: database {@code perf} with N customers (and a few products, which the connector captures too),
 * bulk-loaded with multi-row INSERTs in one transaction, then captured by the Debezium connector (prefix
 * {@code perf}) into {@code perf.perf.customers}. Loading ends when all N rows are in the table topic.
 */
final class ReferenceData {

    static final String DATABASE = "perf";
    static final String PREFIX = "perf";
    static final String CUSTOMERS_TOPIC = PREFIX + "." + DATABASE + ".customers";
    static final String PRODUCTS_TOPIC = PREFIX + "." + DATABASE + ".products";
    /** Columns the joins copy; {@code rev} is the one the freshness phase changes. */
    static final String[] FIELDS = {"name", "tier", "email", "city", "rev"};
    static final String INITIAL_REV = "r0";

    private static final int BATCH_ROWS = 2_000;
    private static final String[] TIERS = {"bronze", "silver", "gold", "platinum"};
    private static final String[] CITIES = {"Amsterdam", "Berlin", "Lisbon", "Madrid", "Oslo", "Paris", "Prague", "Vienna"};

    private ReferenceData() {
    }

    /** True when {@code perf.customers} has exactly {@code rows} rows and the table topic has them all. */
    static boolean isLoaded(Stack stack, int rows) {
        try (Connection db = stack.mariadb().adminConnection("");
             Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + DATABASE + ".customers")) {
            rs.next();
            if (rs.getLong(1) != rows) {
                return false;
            }
        } catch (SQLException e) {
            return false;
        }
        try (Admin admin = Admin.create(stack.adminProperties())) {
            return Topics.endOffsetSum(admin, CUSTOMERS_TOPIC) >= rows;
        }
    }

    /** Creates and loads the tables, applies the connector and waits until CDC has landed every row. */
    static void load(Stack stack, int rows, Consumer<String> progress) {
        long start = System.nanoTime();
        try (Connection db = stack.mariadb().adminConnection("")) {
            Sql.execute(db,
                    "DROP DATABASE IF EXISTS " + DATABASE,
                    "CREATE DATABASE " + DATABASE,
                    "CREATE TABLE " + DATABASE + ".customers (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, "
                            + "tier VARCHAR(16) NOT NULL, email VARCHAR(96) NOT NULL, city VARCHAR(48) NOT NULL, "
                            + "rev VARCHAR(40) NOT NULL)",
                    "CREATE TABLE " + DATABASE + ".products (id VARCHAR(20) PRIMARY KEY, title VARCHAR(100) NOT NULL, "
                            + "price DECIMAL(10,2) NOT NULL)");
            db.setAutoCommit(false);
            try (Statement st = db.createStatement()) {
                StringBuilder products = new StringBuilder("INSERT INTO " + DATABASE + ".products VALUES ");
                for (int p = 1; p <= 100; p++) {
                    products.append(p > 1 ? "," : "").append("('p-").append(p).append("','Product ").append(p)
                            .append("',").append(p).append(".50)");
                }
                st.execute(products.toString());
                insertCustomers(st, 1, rows, progress);
            }
            db.commit();
        } catch (SQLException e) {
            throw new StackException("loading the reference rows failed: " + e.getMessage(), e);
        }
        progress.accept(String.format("inserted %,d customers and 100 products in %.1f s", rows, seconds(start)));

        long connectorStart = System.nanoTime();
        ConnectorStatus status = stack.connectors(Map.of("CDC_DATABASE_NAME", DATABASE, "CDC_TOPIC_PREFIX", PREFIX,
                        "CDC_DATABASE_SERVER_ID", "5501"))
                .apply(stack.layout().connectorsDir().resolve("debezium-mariadb.json"), Duration.ofSeconds(120));
        progress.accept(status.summary());
        awaitCaptured(stack, rows, progress, connectorStart);
    }

    /**
     * Grows the loaded table from {@code loadedRows} to {@code rows} customers (ids {@code loadedRows + 1..rows}) in one
     * transaction, which the running connector captures from the binlog; waits until the table topic has them all.
     */
    static void extend(Stack stack, int loadedRows, int rows, Consumer<String> progress) {
        long start = System.nanoTime();
        try (Connection db = stack.mariadb().adminConnection("")) {
            db.setAutoCommit(false);
            try (Statement st = db.createStatement()) {
                insertCustomers(st, loadedRows + 1, rows, progress);
            }
            db.commit();
        } catch (SQLException e) {
            throw new StackException("adding reference rows failed: " + e.getMessage(), e);
        }
        progress.accept(String.format("inserted customers %,d to %,d in %.1f s", loadedRows + 1, rows, seconds(start)));
        awaitCaptured(stack, rows, progress, System.nanoTime());
    }

    /** Customers {@code from..to} in multi-row INSERTs of {@value #BATCH_ROWS}, with progress every 2 s. */
    private static void insertCustomers(Statement st, int from, int to, Consumer<String> progress) throws SQLException {
        long lastReport = System.nanoTime();
        for (int first = from; first <= to; first += BATCH_ROWS) {
            int last = Math.min(to, first + BATCH_ROWS - 1);
            st.execute(customerInsert(first, last));
            if (System.nanoTime() - lastReport > 2_000_000_000L) {
                lastReport = System.nanoTime();
                progress.accept(String.format("  inserted %,d / %,d customers", last, to));
            }
        }
    }

    static String customerInsert(int first, int last) {
        StringBuilder sql = new StringBuilder(64 + (last - first + 1) * 96);
        sql.append("INSERT INTO ").append(DATABASE).append(".customers VALUES ");
        for (int id = first; id <= last; id++) {
            sql.append(id > first ? "," : "").append('(').append(id)
                    .append(",'Customer ").append(id)
                    .append("','").append(TIERS[id % TIERS.length])
                    .append("','customer").append(id).append("@example.com")
                    .append("','").append(CITIES[id % CITIES.length])
                    .append("','").append(INITIAL_REV).append("')");
        }
        return sql.toString();
    }

    private static void awaitCaptured(Stack stack, int rows, Consumer<String> progress, long start) {
        Duration timeout = Duration.ofSeconds(120 + rows / 2_000);
        long[] lastReport = {0};
        try (Admin admin = Admin.create(stack.adminProperties())) {
            Landed landed = Poll.until(String.format("CDC to land %,d rows in %s", rows, CUSTOMERS_TOPIC), timeout,
                    Duration.ofMillis(250), () -> {
                        Landed now = new Landed(Topics.endOffsetSum(admin, CUSTOMERS_TOPIC),
                                Topics.endOffsetSum(admin, PRODUCTS_TOPIC) >= 100);
                        if (!now.complete(rows) && System.nanoTime() - lastReport[0] > 2_000_000_000L) {
                            lastReport[0] = System.nanoTime();
                            progress.accept(String.format("  CDC snapshot: %,d / %,d rows in %s",
                                    Math.max(0, now.customers()), rows, CUSTOMERS_TOPIC));
                        }
                        return now;
                    }, now -> now.complete(rows));
            progress.accept(String.format("CDC landed %,d customer rows in %s in %.1f s (from connector apply)",
                    landed.customers(), CUSTOMERS_TOPIC, seconds(start)));
        } catch (PollTimeoutException e) {
            throw new StackException("CDC did not land " + rows + " rows in " + CUSTOMERS_TOPIC + " within "
                    + timeout.toSeconds() + " s", e);
        }
    }

    /** What the snapshot has written so far: customer records, and whether all 100 products are there. */
    private record Landed(long customers, boolean products) {
        boolean complete(int rows) {
            return customers >= rows && products;
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
