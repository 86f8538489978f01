package io.cdcenricher.ops;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** Runs plain SQL statements, one after the other, on a connection; used by the demo, the tests and perf. */
public final class Sql {

    private Sql() {
    }

    public static void execute(Connection connection, String... statements) {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new StackException("SQL failed: " + e.getMessage(), e);
        }
    }
}
