package io.cdcenricher.ops;

import java.util.List;

/**
 * The captured changes a connector has not delivered yet, counted from the binlog events between its committed
 * offset and a later binlog position: committed transactions that touch at least one captured table. Changes to
 * tables it does not capture do not count (a connector does not write them anywhere, so its offset may rightly stay
 * behind them until its next record).
 *
 * @param transactions committed transactions with rows for captured tables
 * @param truncated    the scan stopped at its event limit before reaching the end position: there may be more
 * @param scanned      binlog events read
 */
public record PendingChanges(int transactions, boolean truncated, int scanned) {

    /**
     * Counts from {@code events}, which start at the committed offset's position.
     *
     * @param skipFirstTransaction the offset points inside the first transaction (Debezium's {@code event}/{@code row}
     *                             skip counts), which was delivered already
     * @param truncated            whether {@code events} stopped short of the end position
     */
    public static PendingChanges count(List<BinlogEvent> events, boolean skipFirstTransaction, CapturedTables tables,
                                       boolean truncated) {
        int transactions = 0;
        boolean touchesCaptured = false;
        boolean skipping = skipFirstTransaction;
        for (BinlogEvent event : events) {
            if (event.mappedTable().filter(tables::captures).isPresent()) {
                touchesCaptured = true;
            }
            if (event.isCommit()) {
                if (!skipping && touchesCaptured) {
                    transactions++;
                }
                skipping = false;
                touchesCaptured = false;
            }
        }
        return new PendingChanges(transactions, truncated, events.size());
    }

    public String describe() {
        if (transactions == 0) {
            return truncated ? "none in the first " + scanned + " binlog events after it (more not read)"
                    : "none (" + scanned + " binlog events after it, none a committed change to a captured table)";
        }
        return (truncated ? "at least " : "") + transactions + " committed transaction" + (transactions == 1 ? "" : "s")
                + " with changes to captured tables";
    }
}
